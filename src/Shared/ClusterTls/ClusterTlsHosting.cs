using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Revocation.ClusterTls;

/// <summary>
/// Registers <see cref="ClusterTlsOptions"/> (bound from <c>ClusterTls</c>, validated on start) and
/// applies them to a silo's or a client's Orleans connections. Read when the connection options are
/// built, so settings added after registration (tests, reloaded sources before start) count.
/// </summary>
internal static class ClusterTlsHosting
{
    public static void AddOptions(IServiceCollection services)
    {
        services.AddOptions<ClusterTlsOptions>().BindConfiguration(ClusterTlsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterTlsOptions>, ClusterTlsOptionsValidator>());
    }

    /// <summary>A silo: TLS on the silo port both ways and on the gateway port, every peer presenting a certificate of the cluster CA.</summary>
    public static void ForSilo(IServiceCollection services)
    {
        AddOptions(services);
        services.AddOptions<SiloConnectionOptions>().Configure<IOptions<ClusterTlsOptions>>((connections, tls) =>
        {
            if (ClusterTlsConnections.Create(tls.Value) is { } options)
            {
                connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(options));
                connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(options));
                connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(options));
            }
        });
    }

    /// <summary>A client of the silos' gateways: its certificate presented, the gateway's checked against the cluster CA.</summary>
    public static void ForClient(IServiceCollection services)
    {
        AddOptions(services);
        services.AddOptions<ClientConnectionOptions>().Configure<IOptions<ClusterTlsOptions>>((connections, tls) =>
        {
            if (ClusterTlsConnections.Create(tls.Value) is { } options)
            {
                connections.ConfigureConnection(connection => connection.UseClientTls(options));
            }
        });
    }
}
