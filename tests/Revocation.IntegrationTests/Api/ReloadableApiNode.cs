using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Api;

/// <summary>One silo and one API node whose settings the tests change at run time (<see cref="Settings"/>).</summary>
public sealed class ReloadableApiNode : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();

    public ReloadableConfiguration Settings { get; } = new();

    public ApiFactory Api { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    private TestSilos _silos = null!;

    public async Task InitializeAsync()
    {
        _silos = await TestSilos.StartAsync(1, "reload");
        // Every "log out everywhere" here would last the default issuer clock margin (1.5 s); these
        // tests are about reloads, not the issuers' clocks (SubjectRevocationApiTests), and run alone.
        var overrides = new Dictionary<string, string?> { ["LogoutEverywhere:IssuerClockMargin"] = "00:00:00.1" };

        // Uncached scrapes: the tests compare counters before and after single requests.
        Api = new ApiFactory(_silos, Tokens, overrides, reloadable: Settings, services: services =>
            services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        Http = Api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
        await _silos.DisposeAsync();
        Tokens.Dispose();
    }
}
