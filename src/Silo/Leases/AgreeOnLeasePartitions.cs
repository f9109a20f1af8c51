using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Revocation.Grains.Leases;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Leases;

/// <summary>
/// Before the silo answers any call, makes sure it counts lease partitions
/// (<see cref="NodeLeaseOptions.Partitions"/>) as every other silo of its cluster does: the first silo
/// of a cluster records its count in <c>lease_partitions</c>, and a silo whose count differs refuses
/// to start, naming both. (A revocation is told to the partitions its silo counts; silos counting
/// differently would leave the nodes of some partitions untold.)
/// </summary>
internal sealed class AgreeOnLeasePartitions(LeasePartitionAgreement agreement, IOptions<ClusterOptions> cluster, IOptions<NodeLeaseOptions> leases)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AgreeOnLeasePartitions), ServiceLifecycleStage.First + 1, ct => agreement.AgreeAsync(cluster.Value.ClusterId, leases.Value.Partitions, ct));
}
