using Microsoft.Extensions.Logging;

namespace Revocation.Grains;

/// <summary>
/// Refuses calls from clients (API nodes, anything connected to a gateway) to the silos' own grain
/// interfaces — every grain interface of this assembly (<see cref="Leases.INodeLeaseNotifications"/>,
/// <see cref="ISweeperSchedule"/>): the contracts package does not have them, but a client may declare
/// an interface of the same name. Calls from grains and from the silos' own code pass.
/// </summary>
/// <remarks>
/// The caller is the sender a message names. An ordinary Orleans client cannot name another, but a
/// program writing Orleans messages by hand could: holding a certificate of the cluster CA (mutual
/// TLS, <c>ClusterTls</c>) is what keeps such programs off the gateways.
/// </remarks>
public sealed class SiloInternalCallFilter(RegistryMetrics metrics, ILogger<SiloInternalCallFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>The id prefix Orleans gives each silo's own client (code of the silo outside any grain).</summary>
    private const string HostedClientPrefix = "hosted-";

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var declaring = context.InterfaceMethod?.DeclaringType;
        if (declaring?.Assembly == typeof(SiloInternalCallFilter).Assembly && !FromThisCluster(context.SourceId))
        {
            metrics.InternalCallRefused();
            GrainsLog.InternalCallRefused(logger, declaring.Name, context.InterfaceMethod!.Name, context.SourceId);
            throw new UnauthorizedAccessException($"{declaring.Name}.{context.InterfaceMethod.Name} is internal to the registry's silos: clients cannot call it.");
        }

        return context.Invoke();
    }

    /// <summary>A grain, or a silo's own client; not a client connected through a gateway.</summary>
    private static bool FromThisCluster(GrainId? source) =>
        source is { } caller && (!caller.IsClient() || caller.Key.ToString().StartsWith(HostedClientPrefix, StringComparison.Ordinal));
}
