using System.Globalization;
using Revocation.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;

namespace Revocation.IntegrationTests.Metrics;

/// <summary>
/// One silo serving its own <c>/metrics</c> and one API node, on a database of their own, for tests
/// that compare scrapes. OpenTelemetry listens to meters by name, so every host in this test
/// process feeds every host's <c>/metrics</c>: <see cref="MetricsCollection"/> runs alone, and
/// the deltas a test sees are its own.
/// </summary>
public sealed class MetricsNode : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();

    public TestSilos Silos { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    /// <summary>The API node.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>
    /// A second API node, without the near cache (it takes no lease), for tests that need a node's
    /// own log. It lives as long as the collection: a host disposed mid-collection would take its
    /// series out of the other scrapes and spoil their differences.
    /// </summary>
    public ApiFactory PlainApi { get; private set; } = null!;

    /// <summary>The API node's management port (its metrics).</summary>
    public HttpClient ApiManagement { get; private set; } = null!;

    /// <summary>The silo's health and metrics endpoint.</summary>
    public HttpClient SiloHttp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The statement timeout at its default (1 s): MetricsTests count what a read past it does.
        Silos = await TestSilos.StartAsync(1, "metrics", http: true, settings: new Dictionary<string, string?>
        {
            ["Database:CommandTimeout"] = new RegistryDatabaseOptions().CommandTimeout.ToString("c", CultureInfo.InvariantCulture),
        });
        Api = new ApiFactory(Silos, Tokens, services: services =>
            services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        Http = Api.CreateClient();
        PlainApi = new ApiFactory(Silos, Tokens, new Dictionary<string, string?> { ["RevocationCheck:NearCache:Enabled"] = "false" }, services: services =>
            services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        ApiManagement = Api.CreateManagementClient();
        SiloHttp = new HttpClient { BaseAddress = Silos.HttpEndpoints[0], Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        SiloHttp.Dispose();
        ApiManagement.Dispose();
        Http.Dispose();
        await Api.DisposeAsync();
        await PlainApi.DisposeAsync();
        await Silos.DisposeAsync();
        Tokens.Dispose();
    }

    public Task<MetricsScrape> ScrapeApiAsync() => MetricsScrape.TakeAsync(ApiManagement);

    public Task<MetricsScrape> ScrapeSiloAsync() => MetricsScrape.TakeAsync(SiloHttp);
}
