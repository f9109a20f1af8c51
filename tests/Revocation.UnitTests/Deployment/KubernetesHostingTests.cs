using Revocation.Silo.Clustering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Revocation.Silo.Hosting;

namespace Revocation.UnitTests.Deployment;

/// <summary>Orleans' Kubernetes hosting is opt-in (Kubernetes:Enabled) and refuses settings that would defeat it.</summary>
public sealed class KubernetesHostingTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void NotEnabled_RegistersNothing(string? enabled) =>
        Assert.False(HasKubernetesHosting(Build(new() { [KubernetesHosting.EnabledSetting] = enabled })));

    [Fact]
    public void Enabled_RegistersOrleansKubernetesHosting() =>
        Assert.True(HasKubernetesHosting(Build(new() { [KubernetesHosting.EnabledSetting] = "true", ["Cluster:AdvertisedAddress"] = "" })));

    [Fact]
    public void Enabled_WithAnAdvertisedAddress_FailsNamingTheSetting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() =>
            Build(new() { [KubernetesHosting.EnabledSetting] = "true", ["Cluster:AdvertisedAddress"] = "127.0.0.1" }));

        Assert.Contains("Cluster:AdvertisedAddress must be empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotABoolean_FailsNamingTheSetting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Build(new() { [KubernetesHosting.EnabledSetting] = "yes" }));

        Assert.Contains("Kubernetes:Enabled must be true or false (was 'yes')", ex.Message, StringComparison.Ordinal);
    }

    private static IServiceCollection Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseKubernetesHostingWhenEnabled(configuration));
        return builder.Services;
    }

    private static bool HasKubernetesHosting(IServiceCollection services) =>
        services.Any(d => d.ImplementationType?.Namespace == "Orleans.Hosting.Kubernetes");
}
