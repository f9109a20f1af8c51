using System.Diagnostics.Metrics;

namespace Revocation.Grains;

/// <summary>The silo-side instruments of the registry, under the <c>revocation</c> prefix.</summary>
public sealed class RegistryMetrics
{
    /// <summary>The meter name to export (alongside <c>Microsoft.Orleans</c>).</summary>
    public const string MeterName = "Revocation.Registry";

    private readonly Counter<long> _subjectChecks;
    private readonly Counter<long> _subjectsEvicted;
    private readonly Counter<long> _sweptRows;
    private readonly Counter<long> _sweepBatches;
    private readonly Counter<long> _sweepFailures;
    private readonly Histogram<double> _sweepDuration;
    private readonly Counter<long> _internalCallsRefused;
    private readonly ISweepHistory? _sweeps;
    private long _lastSweepSuccessUnixSeconds;

    /// <param name="meterFactory">Creates the meter.</param>
    /// <param name="sweeps">Where the sweeper's last success is recorded; without it the gauge is not published.</param>
    public RegistryMetrics(IMeterFactory meterFactory, ISweepHistory? sweeps = null)
    {
        _sweeps = sweeps;
        var meter = meterFactory.Create(MeterName);
        Tokens = RowGrainMetrics.Tokens(meter);
        Sessions = RowGrainMetrics.Sessions(meter);
        _subjectChecks = meter.CreateCounter<long>("revocation.subject_grain.checks", description: "Subject-wide rules answered by subject grains (checks that reached a subject grain).");
        _subjectsEvicted = meter.CreateCounter<long>("revocation.subject_grain.evicted", description: "Subject grains deactivated to stay under SubjectRevocation:MaxActivationsPerSilo.");
        _sweptRows = meter.CreateCounter<long>("revocation.sweeper.rows_deleted", description: "Expired revocation rows deleted.");
        _sweepBatches = meter.CreateCounter<long>("revocation.sweeper.batches", description: "DELETE batches issued by the sweeper.");
        _sweepFailures = meter.CreateCounter<long>("revocation.sweeper.failures", description: "Sweeps that stopped on a database error.");
        _sweepDuration = meter.CreateHistogram<double>("revocation.sweeper.duration", unit: "s", description: "Duration of a sweep.");
        _internalCallsRefused = meter.CreateCounter<long>("revocation.fabric.internal_calls_refused", description: "Calls from clients to the silos' own grain interfaces, refused.");

        // A counter is exported only once something was added to it. Alerts on these rare events
        // take increase(): a series that first appears at 1 shows no increase, so the first
        // failure would pass unnoticed. Starting them at 0 makes it count.
        _sweepFailures.Add(0);
        _internalCallsRefused.Add(0);
        if (sweeps is not null)
        {
            // Read from the database at each collection, not kept in this silo's memory: any silo
            // may have swept (and the one that did may be gone), so every silo reports the same.
            meter.CreateObservableGauge(
                "revocation.sweeper.last_success",
                ReadLastSweepSuccess,
                unit: "s",
                description: "Unix time of the last sweep, by any silo, that finished without error (0: none yet).");
        }
    }

    /// <summary>The token grains' instruments (<c>revocation.token_grain.*</c>).</summary>
    public RowGrainMetrics Tokens { get; }

    /// <summary>The session grains' instruments (<c>revocation.session_grain.*</c>).</summary>
    public RowGrainMetrics Sessions { get; }

    public void SubjectChecked() => _subjectChecks.Add(1);

    public void SubjectsEvicted(int count) => _subjectsEvicted.Add(count);

    public void InternalCallRefused() => _internalCallsRefused.Add(1);

    public void SweptBatch(int rows)
    {
        _sweepBatches.Add(1);
        _sweptRows.Add(rows);
    }

    public void SweepFinished(Revocation.Abstractions.SweepReport report)
    {
        _sweepDuration.Record((report.FinishedAt - report.StartedAt).TotalSeconds);
        if (report.Error is not null)
        {
            _sweepFailures.Add(1);
        }
    }

    private long ReadLastSweepSuccess()
    {
        try
        {
            var seconds = _sweeps!.ReadLastSuccess()?.ToUnixTimeSeconds() ?? 0;
            Interlocked.Exchange(ref _lastSweepSuccessUnixSeconds, seconds);
            return seconds;
        }
        catch (Exception)
        {
            // The database is unreachable, so no sweep can have succeeded since the last read:
            // that value is still the truth.
            return Interlocked.Read(ref _lastSweepSuccessUnixSeconds);
        }
    }
}
