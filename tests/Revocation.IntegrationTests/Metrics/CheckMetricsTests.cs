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

    [Fact]
    public async Task PlainLogout_AsksNoCheck_LogoutsReachingOtherTokensAreChecked()
    {
        Dictionary<string, object?> WithSession() => new() { ["sid"] = $"metrics-sid-{Guid.NewGuid():N}" };
        var plain = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-logout"));
        var everywhere = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-logout"), sub: $"metrics-{Guid.NewGuid():N}");
        var session = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-logout"), overrides: WithSession());
        var before = await node.ScrapeApiAsync();

        using var plainLogout = await node.Http.SendAsync(ApiNode.Post("/auth/logout", plain));
        using var everywhereLogout = await node.Http.SendAsync(ApiNode.Post("/auth/logout?everywhere=true", everywhere));
        using var sessionLogout = await node.Http.SendAsync(ApiNode.Post("/auth/logout?session=true", session));

        Assert.Equal(
            [HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent],
            [plainLogout.StatusCode, everywhereLogout.StatusCode, sessionLogout.StatusCode]);
        var after = await node.ScrapeApiAsync();
        Assert.Equal(2, Delta("revocation_checks_total")); // everywhere and session, not the plain one
        Assert.Equal(2, Delta("revocation_checks_total", ("outcome", "ok")));
        Assert.Equal(1, Delta("revocation_revocations_total", ("endpoint", "logout"), ("result", "ok")));
        Assert.Equal(1, Delta("revocation_revocations_total", ("endpoint", "logout_everywhere"), ("result", "ok")));
        Assert.Equal(1, Delta("revocation_revocations_total", ("endpoint", "logout_session"), ("result", "ok")));

        double Delta(string name, params (string Name, string Value)[] labels) => after.Value(name, labels) - before.Value(name, labels);
    }
}
