using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Revocation.Silo.Clustering;

namespace Revocation.UnitTests.Settings;

/// <summary>
/// A silo's cluster identity under Orleans' own keys, <c>Orleans:ClusterId</c> and
/// <c>Orleans:ServiceId</c> (the API nodes' too); the earlier <c>Cluster:ClusterId</c> /
/// <c>Cluster:ServiceId</c> are still read when those are not set, and both set to different
/// values stop the silo, naming both.
/// </summary>
public sealed class ClusterIdentitySiloTests
{
    [Theory]
    [InlineData("Orleans", "prod-eu", "tokens")]
    [InlineData("Cluster", "prod-eu", "tokens")]
    public void EitherName_SetsTheClusterIdentity(string section, string clusterId, string serviceId)
    {
        using var host = Build(new() { [$"{section}:ClusterId"] = clusterId, [$"{section}:ServiceId"] = serviceId });

        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;

        Assert.Equal((clusterId, serviceId), (cluster.ClusterId, cluster.ServiceId));
    }

    [Fact]
    public void NeitherName_KeepsTheRegistrysDefaults()
    {
        using var host = Build([]);

        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;

        Assert.Equal(("dev", "revocation-registry"), (cluster.ClusterId, cluster.ServiceId));
    }

    [Fact]
    public void BothNamesDiffering_StopTheSilo_NamingBoth()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Build(new() { ["Orleans:ServiceId"] = "tokens", ["Cluster:ServiceId"] = "revocation-registry" }));

        Assert.Contains("Orleans:ServiceId (tokens) and Cluster:ServiceId (revocation-registry) differ", failure.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:Provider"] = "Localhost" }.Concat(settings));
        builder.UseOrleans(silo => silo.UseRegistryClustering(builder.Configuration));
        return builder.Build();
    }
}
