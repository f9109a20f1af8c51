using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Revocation.Grains.Leases;
using Revocation.Hosting;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Leases;

public static class NodeLeaseHosting
{
    /// <summary>
    /// The API nodes' near-cache leases and the delivery of revocations to them: the lease settings
    /// (validated at start), the relay of notices to every partition, and the partition count every
    /// silo of a cluster agrees on at start.
    /// </summary>
    public static ISiloBuilder AddNodeLeases(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddValidatedOptions<NodeLeaseOptions, NodeLeaseOptionsValidator>(configuration.GetSection(NodeLeaseOptions.SectionName));
        services.TryAddSingleton<NodeLeaseMetrics>();
        services.TryAddSingleton<NoticeRelay>();
        services.TryAddSingleton<LeasePartitionAgreement>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AgreeOnLeasePartitions>();
        return silo;
    }
}
