using Revocation.Silo.Clustering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;
using Revocation.AspNetCore;
using Revocation.Silo.Hosting;

namespace Revocation.IntegrationTests.Client;

/// <summary>
/// What an adopter's API gets from <c>builder.AddRevocationRegistryClient()</c>: a client of the
/// registry's silos, found through the membership table or a static list, over mutual TLS — the
/// same wiring as the registry's own API node.
/// </summary>
public sealed class RegistryClientWiringTests
{
    [Fact]
    public async Task StaticGateways_ReachTheSilos()
    {
        await using var silos = await TestSilos.StartAsync(1, "client_static");

        await AssertConnectsAsync(silos, new Dictionary<string, string?>
        {
            ["Registry:Clustering"] = "Static",
            ["Registry:Gateways:0"] = $"127.0.0.1:{silos.GatewayPorts[0]}",
        });
    }

    [Fact]
    public async Task GatewaysFromTheMembershipTable_ReachTheSilos()
    {
        await using var silos = await TestSilos.StartAsync(1, "client_adonet", ClusterProvider.AdoNet);

        await AssertConnectsAsync(silos, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Registry"] = silos.ConnectionString,
        });
    }

    /// <summary>Starts a client host with <paramref name="settings"/>, revokes a token through it and reads the revocation back.</summary>
    private static async Task AssertConnectsAsync(TestSilos silos, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = silos.ClusterId,
            ["Orleans:ServiceId"] = TestSilos.ServiceId,
        });
        builder.Configuration.AddInMemoryCollection(TestCertificates.ClientSettings);
        builder.AddRevocationRegistryClient();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var jti = Guid.NewGuid().ToString("N");
            await grains.GetTokenGrain("client-wiring-issuer", jti).RevokeAsync(DateTimeOffset.UtcNow.AddMinutes(5), "client wiring test");

            Assert.True(await grains.GetTokenGrain("client-wiring-issuer", jti).IsRevokedAsync());
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
