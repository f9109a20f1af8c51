namespace Revocation.Grains;

/// <summary>Deletes expired revocation rows, one bounded batch per call.</summary>
public interface IExpiredRowStore
{
    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> rows whose <c>expires_at</c> is before
    /// <paramref name="cutoff"/>, skipping rows another sweep holds; returns how many it deleted.
    /// </summary>
    Task<int> DeleteExpiredBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
