using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>The sweeper's store, with a hook that runs after each batch returned (between two batches).</summary>
public sealed class BetweenBatchesStore(IExpiredRowStore inner) : IExpiredRowStore
{
    private int _batches;

    /// <summary>Runs after batch n (1-based) returned and before the next one starts.</summary>
    public Func<int, Task>? AfterBatch { get; set; }

    public async Task<int> DeleteExpiredBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteExpiredBatchAsync(cutoff, batchSize, cancellationToken);
        if (AfterBatch is { } hook)
        {
            await hook(Interlocked.Increment(ref _batches));
        }

        return deleted;
    }
}
