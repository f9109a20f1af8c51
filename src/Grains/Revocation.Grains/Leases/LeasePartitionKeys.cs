using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>This cluster's lease partitions (<see cref="NodeLeaseOptions.Partitions"/>), and telling them all of a revocation.</summary>
public sealed class LeasePartitionKeys(IOptions<NodeLeaseOptions> options)
{
    /// <summary>The key of every partition.</summary>
    public IReadOnlyList<string> All { get; } = LeasePartitions.Keys(options.Value.Partitions);

    /// <summary>
    /// Tells every partition of a revocation that is already durable, in parallel; completes when each
    /// answered (every node of it acknowledged, or its lease ran out), and fails if any failed.
    /// </summary>
    public Task NotifyAllAsync(IGrainFactory grains, RevocationNotice notice) => All.Count == 1
        ? grains.GetGrain<INodeLeaseGrain>(All[0]).NotifyAsync(notice)
        : Task.WhenAll(All.Select(key => grains.GetGrain<INodeLeaseGrain>(key).NotifyAsync(notice)));
}
