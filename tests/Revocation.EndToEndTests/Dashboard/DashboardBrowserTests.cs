using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Revocation.EndToEndTests.Processes;
using static Microsoft.Playwright.Assertions;

namespace Revocation.EndToEndTests.Dashboard;

/// <summary>
/// The Orleans Dashboard of a 2-silo scripts/cluster.sh cluster (Dashboard__Enabled=true), opened
/// in headless Chromium: the page loads from the silo's dashboard port, shows both silos and the
/// token grains the checks activated, leaves the checks out of its profiling, and nothing of it is
/// served anywhere else.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class DashboardBrowserTests
{
    private const string TokenGrain = "Revocation.Grains.TokenGrain";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dashboard_ShowsBothSilosAndTheTokenGrains_OnItsOwnPortOnly()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 1, new Dictionary<string, string> { ["Dashboard__Enabled"] = "true" });
        var dashboard = new Uri($"http://127.0.0.1:{nodes.Cluster.BasePort + 400}/"); // silo 0's Dashboard:Url (cluster.sh)
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });

        // Open it first: the dashboard profiles grain calls only while somebody looks.
        var opened = await page.GotoAsync(dashboard.ToString());
        Assert.Equal(200, opened!.Status);
        await Expect(page).ToHaveTitleAsync("Orleans Dashboard");

        // Checks of fresh tokens through the API node (each one asks a token grain), and logouts,
        // until the dashboard has profiled a revocation.
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        var stats = "";
        await Eventually.HoldsAsync(
            Patience,
            async () =>
            {
                foreach (var token in Enumerable.Range(0, 10).Select(_ => nodes.Mint()))
                {
                    Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(0, token));
                }

                Assert.Equal(HttpStatusCode.NoContent, await nodes.LogoutAsync(0, nodes.Mint()));
                stats = await http.GetStringAsync($"GrainStats/{TokenGrain}");
                return stats.Contains($"{TokenGrain}.{nameof(Abstractions.ITokenGrain.RevokeAsync)}", StringComparison.Ordinal);
            },
            () => $"the dashboard's method statistics of {TokenGrain}: {stats}",
            TimeSpan.FromSeconds(1));

        // The checks reached token grains, yet their calls are not among the profiled methods.
        var grainChecks = 0.0;
        for (var silo = 0; silo < 2; silo++)
        {
            grainChecks += await nodes.Cluster.SiloMetricAsync(silo, "revocation_token_grain_store_reads_total")
                + await nodes.Cluster.SiloMetricAsync(silo, "revocation_token_grain_cache_hits_total");
        }

        Assert.True(grainChecks > 0, "no check reached a token grain");
        Assert.DoesNotContain(nameof(Abstractions.ITokenGrain.IsRevokedAsync), stats, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Abstractions.ISubjectGrain.GetStatusAsync), await http.GetStringAsync("GrainStats/Revocation.Grains.SubjectGrain"), StringComparison.Ordinal);

        // The silos page lists both silos, active.
        await page.GotoAsync(new Uri(dashboard, "#/silos").ToString());
        foreach (var siloPort in new[] { nodes.Cluster.BasePort, nodes.Cluster.BasePort + 1 })
        {
            var row = page.Locator("tr", new PageLocatorOptions { Has = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { NameRegex = new Regex($@"^127\.0\.0\.1:{siloPort}@") }) }).First;
            await Expect(row).ToContainTextAsync("Active", new LocatorAssertionsToContainTextOptions { Timeout = (float)Patience.TotalMilliseconds });
        }

        // The grains page counts the token grains' activations.
        await page.GotoAsync(new Uri(dashboard, "#/grains").ToString());
        var activations = page.Locator($"tr:has(td[title=\"{TokenGrain}\"]) td:nth-child(3)");
        await Expect(activations).ToHaveTextAsync(new Regex(@"^\s*[1-9][0-9]*\s*$"), new LocatorAssertionsToHaveTextOptions { Timeout = (float)Patience.TotalMilliseconds });
        var screenshot = Path.Combine(RepoPaths.Root, ".test-results", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        // Nothing of it anywhere else, and nothing else on its port; its live log stream is off.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, new Uri(nodes.Cluster.SiloHttp(0), "/")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, new Uri(nodes.Cluster.SiloHttp(0), "/DashboardCounters")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, new Uri(nodes.Cluster.Api(0), "/DashboardCounters")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, new Uri(dashboard, "/metrics")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, new Uri(dashboard, "/health/ready")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, new Uri(dashboard, "/Trace")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, new Uri(dashboard, "/DashboardCounters")));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, Uri uri)
    {
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
