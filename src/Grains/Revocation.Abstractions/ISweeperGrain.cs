using Orleans.Concurrency;

namespace Revocation.Abstractions;

/// <summary>
/// The single grain that deletes expired revocation rows, on an Orleans reminder and on demand.
/// Use key <see cref="Key"/>.
/// </summary>
[Alias("Revocation.ISweeperGrain")]
public interface ISweeperGrain : IGrainWithIntegerKey
{
    /// <summary>The one sweeper's key.</summary>
    public const long Key = 0;

    /// <summary>
    /// The response timeout of <see cref="RunAsync"/>: a ceiling, not the wait callers get. Orleans'
    /// default (30 s) is shorter than a sweep may last (<c>Sweeper:TimeBudget</c>, 30 s, plus the
    /// batch in flight), so a caller willing to wait longer (the API node's <c>Registry:SweepTimeout</c>,
    /// 1 minute) was cut off at 30 s. Callers bound their own wait below this ceiling.
    /// </summary>
    public const string RunResponseTimeout = "00:10:00";

    /// <summary>
    /// Registers the sweep reminder if it is missing or its period differs from the configured one;
    /// called by every silo at start, idempotent, and never postpones an existing schedule.
    /// Interleaves with a running sweep: it touches only the reminder table, and a silo's start
    /// waits for it, so it must not queue behind a sweep of up to <c>Sweeper:TimeBudget</c>.
    /// </summary>
    /// <exception cref="RegistryStorageException">The reminder table could not be read or written.</exception>
    [AlwaysInterleave, Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>
    /// Sweeps now: deletes expired rows in bounded batches until drained or the time budget is spent.
    /// A sweep already running on this grain (a reminder tick, another caller) is joined, not queued
    /// behind: the caller gets that run's report, within one sweep's time instead of two.
    /// </summary>
    /// <returns>What this run did; a database failure is reported in <see cref="SweepReport.Error"/>, not thrown.</returns>
    [AlwaysInterleave, ResponseTimeout(RunResponseTimeout), Alias("Run")]
    Task<SweepReport> RunAsync();

    /// <summary>The last finished run on this activation, or <c>null</c> if none yet. Answers even during a run.</summary>
    [AlwaysInterleave, Alias("GetLastRun")]
    Task<SweepReport?> GetLastRunAsync();
}

/// <summary>One sweep.</summary>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="RowsDeleted">Rows deleted by this run.</param>
/// <param name="Batches">DELETE statements issued (each bounded by the batch size).</param>
/// <param name="Drained">True when a short batch showed nothing expired was left; false when the time budget ran out or it failed.</param>
/// <param name="Error">Why the run stopped early, if the database failed; <c>null</c> on success.</param>
[GenerateSerializer, Immutable, Alias("Revocation.SweepReport")]
public sealed record SweepReport(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] DateTimeOffset FinishedAt,
    [property: Id(2)] long RowsDeleted,
    [property: Id(3)] int Batches,
    [property: Id(4)] bool Drained,
    [property: Id(5)] string? Error);
