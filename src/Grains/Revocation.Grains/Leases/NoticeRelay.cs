using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>
/// This silo's way to the lease partitions. The revocations its token and subject grains make are
/// relayed in batches: one <see cref="INodeLeaseNotifications.NotifyBatchAsync"/> per partition for however
/// many revocations arrived while earlier batches were under way, instead of one message per
/// revocation per partition. A revocation's task completes when every partition answered for the
/// batch that carried it (each node acknowledged it or its lease ran out), and fails if one failed.
/// </summary>
/// <remarks>
/// A batch leaves at once when fewer than <see cref="PartitionRelay.BatchesInFlight"/> are under way
/// to that partition, so a quiet silo adds no wait; only a busy one batches.
/// </remarks>
public sealed class NoticeRelay
{
    private readonly PartitionRelay[] _partitions;

    public NoticeRelay(IGrainFactory grains, IOptions<NodeLeaseOptions> options)
    {
        _partitions = [.. LeasePartitions.Keys(options.Value.Partitions).Select(key => new PartitionRelay(notices => grains.GetGrain<INodeLeaseNotifications>(key).NotifyBatchAsync(notices)))];
    }

    /// <summary>
    /// Tells every partition of a revocation that is already durable; completes when each answered,
    /// and fails if any failed.
    /// </summary>
    public Task NotifyAllAsync(RevocationNotice notice)
    {
        if (_partitions.Length == 1)
        {
            return _partitions[0].SendAsync(notice);
        }

        var sends = new Task[_partitions.Length];
        for (var i = 0; i < sends.Length; i++)
        {
            sends[i] = _partitions[i].SendAsync(notice);
        }

        return Task.WhenAll(sends);
    }
}
