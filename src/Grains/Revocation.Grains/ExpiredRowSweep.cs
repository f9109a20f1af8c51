using Revocation.Abstractions;

namespace Revocation.Grains;

/// <summary>
/// One sweep: bounded DELETE batches until one comes back short (drained) or the time budget is
/// spent. Several sweeps may run at once (after a failover): batches skip each other's rows, so
/// each row is deleted and counted exactly once.
/// </summary>
public sealed class ExpiredRowSweep(IExpiredRowStore store, TimeProvider time)
{
    /// <summary>Runs one sweep; a database failure ends it and is returned in the report.</summary>
    /// <param name="options">Batch size, time budget and grace.</param>
    /// <param name="onBatch">Called after each batch with the rows it deleted.</param>
    /// <param name="cancellationToken">Stops the sweep between batches.</param>
    public async Task<SweepReport> RunAsync(SweeperOptions options, Action<int> onBatch, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var cutoff = startedAt - options.Grace;
        long rows = 0;
        var batches = 0;
        try
        {
            while (true)
            {
                int deleted;
                // A hung database ends the sweep (reported, retried next tick) instead of holding
                // the grain, its callers and a pooled connection until it recovers.
                using (var batchTimeout = new CancellationTokenSource(options.BatchTimeout, time))
                using (var batchDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, batchTimeout.Token))
                {
                    try
                    {
                        deleted = await store.DeleteExpiredBatchAsync(cutoff, options.BatchSize, batchDeadline.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        var error = $"A batch of at most {options.BatchSize} rows did not finish within " +
                            $"{SweeperOptions.SectionName}:{nameof(SweeperOptions.BatchTimeout)} ({options.BatchTimeout}) and was cancelled.";
                        return new SweepReport(startedAt, time.GetUtcNow(), rows, batches, Drained: false, Error: error);
                    }
                }

                batches++;
                rows += deleted;
                onBatch(deleted);
                if (deleted < options.BatchSize)
                {
                    return new SweepReport(startedAt, time.GetUtcNow(), rows, batches, Drained: true, Error: null);
                }

                if (time.GetElapsedTime(started) >= options.TimeBudget)
                {
                    return new SweepReport(startedAt, time.GetUtcNow(), rows, batches, Drained: false, Error: null);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SweepReport(startedAt, time.GetUtcNow(), rows, batches, Drained: false, Error: ex.Message);
        }
    }
}
