using Revocation.Silo.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Revocation.Silo.Hosting;

namespace Revocation.UnitTests.Dashboard;

/// <summary>The <c>Dashboard</c> settings: what an enabled dashboard must be bound to, and what it adds to a silo.</summary>
public sealed class DashboardSettingsTests
{
    private const string SiloUrls = "http://127.0.0.1:11080";

    [Fact]
    public void Defaults_AreOffAndOnALoopbackPortOfTheirOwn()
    {
        var options = new DashboardHostingOptions();

        Assert.False(options.Enabled);
        Assert.False(options.ProfileChecks);
        Assert.True(Validate(new DashboardHostingOptions { Enabled = true }, Environments.Production).Succeeded);
    }

    [Theory]
    [InlineData("http://127.0.0.1:11081")]
    [InlineData("http://localhost:11081")]
    [InlineData("https://[::1]:11081")]
    public void LoopbackUrl_IsAcceptedOutsideDevelopment(string url) =>
        Assert.True(Validate(new DashboardHostingOptions { Enabled = true, Url = url }, Environments.Production).Succeeded);

    private const string NotLoopback = "must be on a loopback address (127.0.0.1, [::1] or localhost) outside Development (was '{0}')";
    private const string NoExplicitPort = "must be an http or https URL with an explicit port between 1 and 65535, e.g. http://127.0.0.1:11081 (was '{0}')";

    [Theory]
    [InlineData("http://+:11081", "Production", NotLoopback)]
    [InlineData("http://0.0.0.0:11081", "Production", NotLoopback)]
    [InlineData("http://10.0.0.5:11081", "Staging", NotLoopback)]
    [InlineData("http://127.0.0.1", "Development", NoExplicitPort)]
    [InlineData("127.0.0.1:11081", "Development", NoExplicitPort)]
    [InlineData("ftp://127.0.0.1:11081", "Development", NoExplicitPort)]
    [InlineData("http://127.0.0.1:0", "Development", NoExplicitPort)]
    [InlineData("not a url", "Development", NoExplicitPort)]
    [InlineData("http://127.0.0.1:11080", "Production", "must have a port of its own; 11080 is one of the silo's Urls")]
    public void BadUrl_IsRefused_NamingTheSetting(string url, string environment, string expected)
    {
        var result = Validate(new DashboardHostingOptions { Enabled = true, Url = url }, environment);

        Assert.True(result.Failed);
        Assert.Contains("Dashboard:Url " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, url), result.FailureMessage);
    }

    [Fact]
    public void NetworkUrl_IsAcceptedInDevelopment() =>
        Assert.True(Validate(new DashboardHostingOptions { Enabled = true, Url = "http://+:11081" }, Environments.Development).Succeeded);

    [Fact]
    public void DisabledDashboard_IsNotChecked() =>
        Assert.True(Validate(new DashboardHostingOptions { Enabled = false, Url = "nonsense" }, Environments.Production).Succeeded);

    [Fact]
    public void Disabled_AddsNothingToTheSilo()
    {
        var services = SiloServices(("Dashboard:Enabled", "false"));

        Assert.DoesNotContain(services, service => service.ServiceType == typeof(IIncomingGrainCallFilter));
    }

    [Fact]
    public void Enabled_WrapsTheDashboardsProfiler_SoThatChecksAreLeftOut()
    {
        var filters = SiloServices(("Dashboard:Enabled", "true")).Where(service => service.ServiceType == typeof(IIncomingGrainCallFilter)).ToList();

        // A factory that builds this silo's filter around the dashboard's (which needs a running
        // silo to be built: DashboardBrowserTests sees it leave the checks out).
        var filter = Assert.Single(filters);
        Assert.Null(filter.ImplementationType);
        Assert.NotNull(filter.ImplementationFactory);
    }

    [Fact]
    public void ProfileChecks_KeepsTheDashboardsProfilerAsItIs()
    {
        var filters = SiloServices(("Dashboard:Enabled", "true"), ("Dashboard:ProfileChecks", "true"))
            .Where(service => service.ServiceType == typeof(IIncomingGrainCallFilter)).ToList();

        Assert.Equal(DashboardCheckProfilingFilter.ProfilerTypeName, Assert.Single(filters).ImplementationType?.FullName);
    }

    [Fact]
    public void EnabledThatIsNotABoolean_IsNamed()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SiloServices(("Dashboard:Enabled", "yes")));

        Assert.Contains("Dashboard:Enabled", error.Message);
    }

    private static ValidateOptionsResult Validate(DashboardHostingOptions options, string environment) =>
        new DashboardHostingOptionsValidator(
                new HostingEnvironment { EnvironmentName = environment },
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = SiloUrls }).Build())
            .Validate(null, options);

    /// <summary>What the silo executable registers for these settings (before the host is built).</summary>
    private static IServiceCollection SiloServices(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddRegistryDashboard();
        return builder.Services;
    }
}
