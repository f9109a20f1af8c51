using System.Net;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Metrics;

/// <summary>The check's own series, judged by the change two requests make to a scrape.</summary>
[Collection(MetricsCollection.Name)]
public sealed class CheckMetricsTests(MetricsNode node)
{
    [Fact]
    public async Task Checks_AreCountedByOutcome_AndTimedOnlyWhenTheRegistryIsAsked()
    {
        var withJti = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-check"));
        var withoutJti = node.Tokens.Mint(overrides: new Dictionary<string, object?> { ["jti"] = null });
        var before = await node.ScrapeApiAsync();

        using var ok = await node.Http.SendAsync(ApiNode.Get("/me", withJti));
        using var noJti = await node.Http.SendAsync(ApiNode.Get("/me", withoutJti));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noJti.StatusCode);
        var after = await node.ScrapeApiAsync();
        Assert.Equal(1, Delta("revocation_checks_total", ("outcome", "ok")));
        Assert.Equal(1, Delta("revocation_checks_total", ("outcome", "no_jti")));
        Assert.Equal(2, Delta("revocation_checks_total"));
        Assert.Equal(1, Delta("revocation_check_duration_seconds_count")); // a token without jti never asks the registry

        double Delta(string name, params (string Name, string Value)[] labels) => after.Value(name, labels) - before.Value(name, labels);
    }
}
