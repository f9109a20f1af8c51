using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Revocation.AspNetCore;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>Plain Orleans clients of <see cref="TestSilos"/>' first gateway, as another program would connect.</summary>
public static class TestClients
{
    /// <summary>
    /// A client host (not started); with <paramref name="tls"/> it uses the registry's TLS client wiring
    /// with those <c>ClusterTls</c> settings, without it a stock client in plain TCP.
    /// </summary>
    public static IHost Build(TestSilos silos, IReadOnlyDictionary<string, string?>? tls)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(tls ?? new Dictionary<string, string?>());
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(silos.GatewayPorts[0], TestSilos.ServiceId, silos.ClusterId);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            if (tls is not null)
            {
                client.UseRegistryTls();
            }
        });
        return builder.Build();
    }

    /// <summary>A started client with a certificate of the cluster CA.</summary>
    public static async Task<IHost> ConnectAsync(TestSilos silos)
    {
        var host = Build(silos, TestCertificates.ClientSettings);
        await host.StartAsync();
        return host;
    }
}
