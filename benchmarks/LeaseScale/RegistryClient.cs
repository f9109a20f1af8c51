using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

/// <summary>
/// The one Orleans client of the harness, configured from the same settings as an API node's
/// (environment variables): <c>ConnectionStrings__Registry</c>, <c>Orleans__ClusterId</c> and
/// <c>Orleans__ServiceId</c>; gateways are read from the membership table (ADO.NET clustering);
/// mutual TLS from <c>ClusterTls__*</c> (<c>scripts/cluster.sh client-env</c>).
/// The API's own client setup (Revocation.Api's <c>AddRegistryClient</c>) belongs to its web host,
/// so the harness sets up the same clustering itself.
/// </summary>
internal static class RegistryClient
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var configuration = builder.Configuration;
        var connection = configuration.GetConnectionString("Registry")
            ?? throw new InvalidOperationException("ConnectionStrings__Registry is not set: the membership table is read from it.");
        var clusterId = configuration["Orleans:ClusterId"]
            ?? throw new InvalidOperationException("Orleans__ClusterId is not set (scripts/cluster.sh writes it to $REGISTRY_CLUSTER_DIR/cluster-id).");
        builder.UseOrleansClient(client => client
            .UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connection;
            })
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = configuration["Orleans:ServiceId"] ?? "revocation-registry";
            })
            // As the API nodes: a silo that joins or dies is seen within 5 s (Orleans: 1 min).
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5)));
        Revocation.ClusterTls.ClusterTlsHosting.ForClient(builder.Services);
        return builder.Build();
    }
}
