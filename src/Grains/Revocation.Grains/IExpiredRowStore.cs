namespace Revocation.Grains;

/// <summary>Deletes expired rows — revocations past their end, records of delivered tokens past theirs — one bounded batch per call.</summary>
public interface IExpiredRowStore
{
    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> rows whose <c>expires_at</c> (<c>seen_until</c> for a delivered token's record) is before
    /// <paramref name="cutoff"/>, skipping rows another sweep holds; returns how many it deleted.
    /// </summary>
    Task<int> DeleteExpiredBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
