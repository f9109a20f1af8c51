using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.Client;

/// <summary>
/// An API node's cluster identity under the silos' keys, <c>Orleans:ClusterId</c> and
/// <c>Orleans:ServiceId</c>; the earlier <c>Registry:ClusterId</c> / <c>Registry:ServiceId</c> are still
/// read (with a warning) when those are not set, and both set to different values stop the start.
/// </summary>
public sealed class ClusterIdentityClientTests
{
    private static readonly Dictionary<string, string?> StaticGateway = new()
    {
        ["Registry:Clustering"] = "Static",
        ["Registry:Gateways:0"] = "10.0.0.5:30000",
    };

    [Fact]
    public void OrleansKeys_NameTheClusterTheClientJoins()
    {
        using var host = Build(new() { ["Orleans:ClusterId"] = "prod-eu", ["Orleans:ServiceId"] = "tokens" });

        Assert.Equal(("prod-eu", "tokens"), Identity(host));
    }

    [Fact]
    public void EarlierNames_AreStillRead_WithAWarningNamingTheNewKey()
    {
        var logs = new LogSink();
        using var host = Build(new() { ["Registry:ClusterId"] = "prod-eu", ["Registry:ServiceId"] = "tokens" }, logs);

        Assert.Equal(("prod-eu", "tokens"), Identity(host));
        var warning = host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "EarlierClusterIdentityNames");
        warning.StartAsync(CancellationToken.None);
        Assert.Contains(logs.Lines, line => line.Contains("Registry:ClusterId is the earlier name of Orleans:ClusterId", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("Registry:ServiceId is the earlier name of Orleans:ServiceId", StringComparison.Ordinal));
    }

    [Fact]
    public void BothNamesAlike_AreAccepted_AndOrleansKeysWinOverNothing()
    {
        using var host = Build(new() { ["Orleans:ClusterId"] = "prod-eu", ["Registry:ClusterId"] = "prod-eu" });

        Assert.Equal(("prod-eu", "revocation-registry"), Identity(host));
    }

    [Fact]
    public async Task BothNamesDiffering_StopTheStart_NamingBoth()
    {
        using var host = Build(new() { ["Orleans:ClusterId"] = "prod-eu", ["Registry:ClusterId"] = "dev" });

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("Orleans:ClusterId (prod-eu) and Registry:ClusterId (dev) differ", RegistryClientHost.Describe(failure), StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings, LogSink? logs = null) =>
        RegistryClientHost.Build(StaticGateway.Concat(settings), logs);

    /// <summary>What the options say and what the Orleans client is configured with: the same.</summary>
    private static (string ClusterId, string ServiceId) Identity(IHost host)
    {
        var registry = host.Services.GetRequiredService<IOptions<RevocationRegistryClientOptions>>().Value;
        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal((registry.ClusterId, registry.ServiceId), (cluster.ClusterId, cluster.ServiceId));
        return (registry.ClusterId, registry.ServiceId);
    }
}
