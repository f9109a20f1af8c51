using System.Net;
using System.Text.Json;
using Npgsql;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Metrics;

/// <summary>Each metric means what docs/monitoring.md says, judged by the change one action makes to a scrape.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(MetricsNode node)
{
    [Fact]
    public async Task Logout_IsCountedAsOneRevocation_OnTheApiNodeAndTheSilo()
    {
        var token = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-logout"));
        var api = await node.ScrapeApiAsync();
        var silo = await node.ScrapeSiloAsync();

        using var logout = await node.Http.SendAsync(ApiNode.Post("/auth/logout", token));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var apiAfter = await node.ScrapeApiAsync();
        var siloAfter = await node.ScrapeSiloAsync();
        Assert.Equal(1, Delta(api, apiAfter, "revocation_revocations_total", ("endpoint", "logout"), ("result", "ok")));
        Assert.Equal(1, Delta(api, apiAfter, "revocation_revocations_total"));
        Assert.Equal(1, Delta(silo, siloAfter, "revocation_token_grain_revocations_total"));
    }

    [Fact]
    public async Task Introspection_IsCountedAsAnIntrospection_NotAsACheck()
    {
        var token = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-introspect"));
        var before = await node.ScrapeApiAsync();

        using var response = await node.Http.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.True(body.RootElement.GetProperty("active").GetBoolean());
        }

        var after = await node.ScrapeApiAsync();
        Assert.Equal(0, Delta(before, after, "revocation_checks_total"));
        Assert.Equal(1, Delta(before, after, "revocation_introspections_total", ("outcome", "ok")));
    }

    [Fact]
    public async Task StoreRead_IsCountedOnlyOnceItSucceeded()
    {
        var token = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-read"));
        var before = await node.ScrapeSiloAsync();

        MetricsScrape whileLocked;
        await using (var holder = await LockRevokedTokensAsync())
        {
            using var failed = await node.Http.SendAsync(ApiNode.Get("/me", token)); // the token grain's read cannot finish
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);

            // Every read gives up within Database:CommandTimeout, the check's hedged calls' too: give
            // them that long to end while the lock still holds, so none can succeed meanwhile.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            whileLocked = await node.ScrapeSiloAsync();
        }

        using var ok = await node.Http.SendAsync(ApiNode.Get("/me", token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var after = await node.ScrapeSiloAsync();

        Assert.Equal(0, Delta(before, whileLocked, "revocation_token_grain_store_reads_total"));
        Assert.Equal(1, Delta(before, after, "revocation_token_grain_store_reads_total"));
    }

    [Fact]
    public async Task ReadPastTheStatementTimeout_TheCheckAsksOnceMore_AndAnswersWithinItsBudget()
    {
        // The silo's statements give up after Database:CommandTimeout (1 s); the node's check has 5 s.
        var token = node.Tokens.Mint(jti: RegistryCluster.NewJti("metrics-read-again"));
        var before = await node.ScrapeApiAsync();

        Task<HttpResponseMessage> check;
        await using (var holder = await LockRevokedTokensAsync())
        {
            check = node.Http.SendAsync(ApiNode.Get("/me", token)); // its first read cannot finish
            await Eventually.HoldsAsync(
                TimeSpan.FromSeconds(4),
                async () => Delta(before, await node.ScrapeApiAsync(), "revocation_check_retries_total", ("reason", "storage_failed")) >= 1,
                poll: TimeSpan.FromMilliseconds(50));
        } // released while the question asked again waits for the lock

        using var response = await check;
        var after = await node.ScrapeApiAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Delta(before, after, "revocation_check_retries_total", ("reason", "storage_failed")));
        Assert.Equal(0, Delta(before, after, "revocation_checks_total", ("outcome", "error")));
    }

    [Fact]
    public async Task SweeperLastSuccess_IsTheDurableRecord_NotThisSilosMemory()
    {
        using var run = await node.Http.SendAsync(ApiNode.Post("/admin/sweeper/run", node.Tokens.Mint(scope: "admin")));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        DateTimeOffset finishedAt;
        using (var report = JsonDocument.Parse(await run.Content.ReadAsStringAsync()))
        {
            finishedAt = report.RootElement.GetProperty("finishedAt").GetDateTimeOffset();
        }

        Assert.Equal(finishedAt.ToUnixTimeSeconds(), (await node.ScrapeSiloAsync()).Value("revocation_sweeper_last_success_seconds"));

        // As if a silo that has since died swept an hour later: this silo never ran that sweep,
        // and still reports it, because the gauge is the database's record.
        var later = finishedAt.AddHours(1);
        await using (var connection = new NpgsqlConnection(node.Silos.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE sweeper_state SET last_success_at = $1", connection);
            update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = later.ToUniversalTime() });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        Assert.Equal(later.ToUnixTimeSeconds(), (await node.ScrapeSiloAsync()).Value("revocation_sweeper_last_success_seconds"));
    }

    private static double Delta(MetricsScrape before, MetricsScrape after, string name, params (string Name, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    /// <summary>An open transaction holding <c>revoked_tokens</c> exclusively, until disposed.</summary>
    private async Task<NpgsqlConnection> LockRevokedTokensAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(node.Silos.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var begin = new NpgsqlCommand("BEGIN; LOCK TABLE revoked_tokens IN ACCESS EXCLUSIVE MODE", connection);
        await begin.ExecuteNonQueryAsync();
        return connection;
    }
}
