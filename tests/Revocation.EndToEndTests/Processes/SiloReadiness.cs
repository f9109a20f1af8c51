namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// Samples every silo's <c>/health/ready</c> (Active in the cluster, database answering) every
/// 250 ms, all silos at once, so a test can tell how many were down at the same moment. A silo is
/// down when it answers not ready or refuses the connection. A probe left unanswered for
/// <see cref="ProbeTimeout"/> tells nothing either way — on a saturated machine a live silo's answer
/// can take that long — so the silo keeps the state of its previous sample.
/// </summary>
public sealed class SiloReadiness : IAsyncDisposable
{
    private readonly LocalCluster _cluster;
    private readonly int _silos;
    /// <summary>Longer than the silo's own database ping may take (2 s), so a silo that is up answers within it.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http = new() { Timeout = ProbeTimeout };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TimeSpan At, bool[] Ready)> _samples = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Task _loop;

    public SiloReadiness(LocalCluster cluster, int silos)
    {
        _cluster = cluster;
        _silos = silos;
        _loop = Task.Run(SampleAsync);
    }

    public int Samples
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    /// <summary>The most silos, among those not in <paramref name="excluded"/>, found not ready in one sample.</summary>
    public int MaxDownAtOnce(params int[] excluded)
    {
        lock (_samples)
        {
            return _samples.Count == 0 ? 0 : _samples.Max(s => Enumerable.Range(0, _silos).Count(i => !excluded.Contains(i) && !s.Ready[i]));
        }
    }

    /// <summary>Each silo's periods of not being ready, e.g. "silo 1: 41.2–49.8 s".</summary>
    public string DownPeriods(params int[] excluded)
    {
        lock (_samples)
        {
            var periods = new List<string>();
            for (var i = 0; i < _silos; i++)
            {
                if (excluded.Contains(i))
                {
                    continue;
                }

                TimeSpan? from = null;
                foreach (var (at, ready) in _samples)
                {
                    if (!ready[i] && from is null)
                    {
                        from = at;
                    }
                    else if (ready[i] && from is { } start)
                    {
                        periods.Add($"silo {i}: {start.TotalSeconds:0.0}–{at.TotalSeconds:0.0} s");
                        from = null;
                    }
                }

                if (from is { } open)
                {
                    periods.Add($"silo {i}: {open.TotalSeconds:0.0} s–end");
                }
            }

            return string.Join(", ", periods);
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var at = _clock.Elapsed;
            var answers = await Task.WhenAll(Enumerable.Range(0, _silos).Select(ReadyAsync));
            if (_stop.IsCancellationRequested)
            {
                return; // probes cut short by the stop say nothing
            }

            lock (_samples)
            {
                var previous = _samples.Count > 0 ? _samples[^1].Ready : null;
                _samples.Add((at, [.. answers.Select((answer, i) => answer ?? previous?[i] ?? false)]));
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether silo <paramref name="silo"/> answered ready; null when it did not answer within <see cref="ProbeTimeout"/>.</summary>
    private async Task<bool?> ReadyAsync(int silo)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_cluster.SiloHttp(silo), "/health/ready"), _stop.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // refused or reset: no process serves there
        }
        catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
        {
            return null; // unanswered within the probe's timeout
        }
        catch (TaskCanceledException)
        {
            return null; // sampling stopped; the sample is not kept
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }
}
