using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.Grains;

/// <summary>
/// Deletes expired revocation rows on a reminder. It touches only rows whose tokens expired
/// (plus <see cref="SweeperOptions.Grace"/>), in its own short statements, so token checks never
/// wait for it. A failed tick is logged and counted; the next tick simply tries again.
/// </summary>
public sealed class SweeperGrain(
    IExpiredRowStore store,
    ISweepHistory history,
    IReminderTable reminders,
    IOptions<SweeperOptions> options,
    TimeProvider time,
    RegistryMetrics metrics,
    ILogger<SweeperGrain> logger) : Grain, ISweeperGrain, ISweeperSchedule, IRemindable
{
    public const string ReminderName = "sweep-expired-revocations";

    private SweepReport? _lastRun;
    private Task<SweepReport>? _running;

    public async Task EnsureScheduledAsync()
    {
        // Reminders are durable: re-registering one that already has this period would only push
        // its next tick back by DueTime at every silo start (a rolling restart would postpone the
        // sweep indefinitely). Register when it is missing or its period was changed.
        var settings = options.Value;
        try
        {
            var existing = await reminders.ReadRow(this.GetGrainId(), ReminderName);
            if (existing?.Period != settings.Period)
            {
                await this.RegisterOrUpdateReminder(ReminderName, settings.DueTime, settings.Period);
            }
        }
        catch (Exception ex) when (ex is not RegistryStorageException)
        {
            // The reminder table throws the driver's own exceptions, which Orleans cannot serialize
            // (the caller got "Could not find a codec" instead): say what failed in one that can.
            GrainsLog.SweepScheduleFailed(logger, ex);
            throw new RegistryStorageException($"The sweep reminder could not be read or registered: {ex.Message}");
        }
    }

    public Task<SweepReport> RunAsync()
    {
        // RunAsync interleaves (the admin run must not wait behind a reminder tick's sweep and then
        // sweep again): every caller during a sweep awaits the same one. All of this runs on the
        // grain's scheduler, so _running needs no lock.
        if (_running is not null)
        {
            return _running;
        }

        var sweep = SweepAsync();
        if (!sweep.IsCompleted)
        {
            _running = sweep; // cleared by SweepAsync when it ends
        }

        return sweep;
    }

    private async Task<SweepReport> SweepAsync()
    {
        SweepReport report;
        try
        {
            report = await new ExpiredRowSweep(store, time).RunAsync(options.Value, metrics.SweptBatch, CancellationToken.None);
        }
        finally
        {
            _running = null;
        }

        _lastRun = report;
        metrics.SweepFinished(report);
        if (report.Error is null)
        {
            GrainsLog.SweepFinished(logger, report.RowsDeleted, report.Batches, report.FinishedAt - report.StartedAt, report.Drained);
            try
            {
                await history.RecordSuccessAsync(report.FinishedAt, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The rows are deleted either way; only the last-success gauge stays behind until the next sweep.
                GrainsLog.SweepSuccessNotRecorded(logger, ex);
            }
        }
        else
        {
            GrainsLog.SweepFailed(logger, report.RowsDeleted, report.Error);
        }

        return report;
    }

    public Task<SweepReport?> GetLastRunAsync() => Task.FromResult(_lastRun);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? RunAsync() : Task.CompletedTask;
}
