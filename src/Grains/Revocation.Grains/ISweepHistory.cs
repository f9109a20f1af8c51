namespace Revocation.Grains;

/// <summary>The durable record of sweeps, shared by every silo.</summary>
public interface ISweepHistory
{
    /// <summary>Records that a sweep finished without error at <paramref name="finishedAt"/>; an older time never replaces a newer one.</summary>
    Task RecordSuccessAsync(DateTimeOffset finishedAt, CancellationToken cancellationToken);

    /// <summary>
    /// The last recorded success, or <c>null</c> if none. Synchronous because metric callbacks are:
    /// it is read once per metrics collection, a single-row primary-key read.
    /// </summary>
    DateTimeOffset? ReadLastSuccess();
}
