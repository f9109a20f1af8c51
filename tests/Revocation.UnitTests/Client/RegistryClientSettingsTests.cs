using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.Client;

/// <summary>
/// <c>AddRevocationRegistryClient</c>'s <c>Registry</c> section: a setting the client could not
/// connect with stops the start with a message naming it, before any connection is tried.
/// </summary>
public sealed class RegistryClientSettingsTests
{
    [Theory]
    [InlineData("Static", null, null, null, "Registry:Gateways must list at least one gateway")]
    [InlineData("Static", "silo-a:30000", null, null, "Registry:Gateways holds 'silo-a:30000', which is not an address:port")]
    [InlineData("Static", "10.0.0.5", null, null, "Registry:Gateways holds '10.0.0.5'")]
    [InlineData("Localhost", null, "0", null, "Registry:GatewayPorts must list at least one port between 1 and 65535")]
    [InlineData("Localhost", null, null, null, "Registry:GatewayPorts must list at least one port")]
    [InlineData("AdoNet", null, null, null, "ConnectionStrings:Registry is required with Registry:Clustering=AdoNet")]
    [InlineData("Dns", null, null, null, "Registry:Clustering")]
    [InlineData("Static", "10.0.0.5:30000", null, "00:00:00", "Registry:GatewayListRefreshPeriod must be positive")]
    public async Task InvalidSection_StopsTheStart_NamingTheSetting(string clustering, string? gateway, string? port, string? refresh, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Registry:Clustering"] = clustering,
            ["Registry:Gateways:0"] = gateway,
            ["Registry:GatewayPorts:0"] = port,
            ["Registry:GatewayListRefreshPeriod"] = refresh,
        };
        using var host = RegistryClientHost.Build(settings.Where(s => s.Value is not null).ToDictionary());

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(expected, RegistryClientHost.Describe(failure), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5:30000")]
    [InlineData("[::1]:30000")]
    public void GatewayAsAddressAndPort_IsAccepted(string gateway)
    {
        using var host = RegistryClientHost.Build(new Dictionary<string, string?> { ["Registry:Clustering"] = "Static", ["Registry:Gateways:0"] = gateway });

        var options = host.Services.GetRequiredService<IOptions<RevocationRegistryClientOptions>>().Value;

        Assert.Equal([gateway], options.Gateways);
    }
}
