using System.Diagnostics;
using System.Diagnostics.Metrics;
using Revocation.Grains;

namespace Revocation.Silo.Rejuvenation;

/// <summary>Rejuvenation's instruments, on the registry's silo meter (<see cref="RegistryMetrics.MeterName"/>).</summary>
public sealed class RejuvenationMetrics
{
    private readonly Counter<long> _recycles;
    private readonly Histogram<double> _turnWait;
    private readonly DateTimeOffset _processStartedAt;
    private readonly TimeProvider _time;
    private long _waitingSinceTicks;

    public RejuvenationMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        using (var process = Process.GetCurrentProcess())
        {
            _processStartedAt = process.StartTime.ToUniversalTime();
        }

        var meter = meterFactory.Create(RegistryMetrics.MeterName);
        // Counted by the silo that recycles, just before it stops: a scrape between then and the
        // exit sees it, and an OTLP exporter flushes it at shutdown. recycle_turns keeps the full history.
        _recycles = meter.CreateCounter<long>("revocation.rejuvenation.recycles", description: "Recycles this silo process started, by reason (max_lifetime, memory).");
        _turnWait = meter.CreateHistogram<double>("revocation.rejuvenation.turn_wait", unit: "s", description: "Time from a recycle becoming due to the turn being granted.");
        meter.CreateObservableGauge("revocation.rejuvenation.process_age", () => ProcessAge.TotalSeconds, unit: "s", description: "How long this silo process has run.");
        meter.CreateObservableGauge("revocation.rejuvenation.waiting", () => Waiting.TotalSeconds, unit: "s",
            description: "How long this silo has been waiting for a recycling turn (0: not waiting). A wait that only grows means MinSilos or MaxConcurrent holds it back.");
    }

    /// <summary>How long this process has run.</summary>
    public TimeSpan ProcessAge => _time.GetUtcNow() - _processStartedAt;

    private TimeSpan Waiting
    {
        get
        {
            var since = Interlocked.Read(ref _waitingSinceTicks);
            return since == 0 ? TimeSpan.Zero : _time.GetUtcNow() - new DateTimeOffset(since, TimeSpan.Zero);
        }
    }

    public void WaitingSince(DateTimeOffset? since) => Interlocked.Exchange(ref _waitingSinceTicks, since?.UtcTicks ?? 0);

    public void Recycling(string reason, TimeSpan waited)
    {
        _turnWait.Record(waited.TotalSeconds);
        _recycles.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }
}
