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
        // The silo that recycles counts its recycle just before it stops (rarely scraped in time);
        // the process that replaces it starts from the turns its predecessors at the same address
        // and port took (recycle_turns), so the series goes on rising across the restarts.
        _recycles = meter.CreateCounter<long>("revocation.rejuvenation.recycles",
            description: "Recycles of the silo at this address and port in this cluster, by reason (max_lifetime, memory); carried over each restart from recycle_turns.");
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

    /// <summary>Counts the recycles of the processes this one replaced (once, at start).</summary>
    public void Earlier(IReadOnlyDictionary<string, long> recyclesByReason)
    {
        foreach (var (reason, count) in recyclesByReason)
        {
            _recycles.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void Recycling(string reason, TimeSpan waited)
    {
        _turnWait.Record(waited.TotalSeconds);
        _recycles.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }
}
