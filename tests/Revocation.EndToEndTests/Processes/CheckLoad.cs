using System.Diagnostics;
using System.Net;

namespace Revocation.EndToEndTests.Processes;

/// <summary>One request of a <see cref="CheckLoad"/>: when it ended, what came back, what was due, how long it took.</summary>
public readonly record struct CheckResult(TimeSpan At, int Status, int Expected, TimeSpan Took = default)
{
    public bool Failed => Status != Expected;

    /// <summary>A revoked token accepted: the one outcome the registry must never produce.</summary>
    public bool StaleAccept => Expected == 401 && Status == 200;
}

/// <summary>A token the load presents and the status it must get (200, or 401 once revoked).</summary>
public sealed record LoadToken(string Token, int Expected);

/// <summary>
/// A steady, bounded load of <c>GET /me</c> spread over API nodes: <c>workers</c> loops, each
/// taking the next token from a shared sequence. Every response (or transport error, status 0)
/// is recorded with its time, so failures can be placed against events such as a silo kill.
/// A worker whose request failed pauses briefly before its next one, so that a cluster that is
/// down is not hammered by a busy loop. Start it with <c>await using</c>: it stops on every path.
/// </summary>
public sealed class CheckLoad : IAsyncDisposable
{
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(20);

    private readonly List<HttpClient> _clients;
    private readonly Func<long, LoadToken> _tokenAt;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CheckResult> _results = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _workers;
    private long _next = -1;

    private CheckLoad(IEnumerable<Uri> nodes, Func<long, LoadToken> tokenAt, int workers)
    {
        _clients = [.. nodes.Select(node => new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) })];
        _tokenAt = tokenAt;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Time since the load started, on the clock the results use.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts the load; <paramref name="tokenAt"/> maps the n-th request to its token.</summary>
    public static CheckLoad Start(IEnumerable<Uri> nodes, Func<long, LoadToken> tokenAt, int workers = 8) => new(nodes, tokenAt, workers);

    /// <summary>Lets the load run until <see cref="Elapsed"/> reaches <paramref name="at"/> (at once if it already has).</summary>
    public async Task RunUntilAsync(TimeSpan at)
    {
        var left = at - Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    /// <summary>Stops the load and returns every result in completion order (again on later calls).</summary>
    public async Task<IReadOnlyList<CheckResult>> StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_workers);
        lock (_results)
        {
            return [.. _results.OrderBy(r => r.At)];
        }
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var token = _tokenAt(n);
            var client = _clients[(int)(n % _clients.Count)];
            var sent = _clock.Elapsed;
            int status;
            try
            {
                using var response = await client.SendAsync(ApiNode.Get("/me", token.Token));
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = 0;
            }
            catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
            {
                status = (int)HttpStatusCode.RequestTimeout;
            }
            catch (TaskCanceledException)
            {
                return;
            }

            var result = new CheckResult(_clock.Elapsed, status, token.Expected, _clock.Elapsed - sent);
            lock (_results)
            {
                _results.Add(result);
            }

            if (result.Failed && !await PausedAsync())
            {
                return;
            }
        }
    }

    /// <summary>Waits <see cref="PauseAfterFailure"/>; false when the load was stopped meanwhile.</summary>
    private async Task<bool> PausedAsync()
    {
        try
        {
            await Task.Delay(PauseAfterFailure, _stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _clients.ForEach(c => c.Dispose());
    }
}
