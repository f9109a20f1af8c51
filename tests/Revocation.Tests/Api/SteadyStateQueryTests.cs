using System.Net;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Api;

/// <summary>
/// Promise 3, measured at the database with pg_stat_statements: once a token's grains are
/// active, requests through the API cost zero queries.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SteadyStateQueryTests
{
    [Fact]
    public async Task WarmToken_CostsNoDatabaseQueryPerRequest()
    {
        using var tokens = new TestTokens();
        await using var silos = await TestSilos.StartAsync(2, "steady_state");
        await using var api = new ApiFactory(silos, tokens);
        using var http = api.CreateClient();
        var token = tokens.Mint(sub: $"steady-{Guid.NewGuid():N}");
        var revoked = tokens.Mint(sub: $"steady-{Guid.NewGuid():N}");
        var admin = tokens.Mint(scope: "admin");
        (await http.SendAsync(ApiNode.Get("/me", admin))).Dispose();
        (await http.SendAsync(ApiNode.Post("/auth/logout", revoked))).Dispose();
        using (var warm = await http.SendAsync(ApiNode.Get("/me", token)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        (await http.SendAsync(ApiNode.Get("/me", revoked))).Dispose();
        // No pg_stat_statements_reset(): it is server-wide, and other tests count their own
        // database's statements at the same time. Differences of this database's counts instead.
        await TestPostgres.ExecuteAsync(silos.ConnectionString, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        var baseline = await RegistryStatementsAsync(silos.ConnectionString, "%revoked_tokens%", "%OrleansStorage%");

        for (var i = 0; i < 100; i++)
        {
            using var ok = await http.SendAsync(ApiNode.Get("/me", token));
            using var rejected = await http.SendAsync(ApiNode.Get("/me", revoked));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        var queries = await RegistryStatementsAsync(silos.ConnectionString, "%revoked_tokens%", "%OrleansStorage%") - baseline;
        Assert.Equal(0L, queries);
        var beforeEvict = await RegistryStatementsAsync(silos.ConnectionString, "%revoked_tokens%", "%revoked_tokens%");

        // The same counter does see queries: evicting the grain makes the next question to it read
        // the row once (asked through the admin status: /me is answered by the node's near cache).
        using var evict = await http.SendAsync(ApiNode.Post($"/admin/tokens/{TestTokens.JtiOf(revoked)}/evict", admin));
        (await http.SendAsync(ApiNode.Get($"/admin/tokens/{TestTokens.JtiOf(revoked)}", admin))).Dispose();
        var afterEvict = await RegistryStatementsAsync(silos.ConnectionString, "%revoked_tokens%", "%revoked_tokens%") - beforeEvict;
        Assert.Equal(HttpStatusCode.NoContent, evict.StatusCode);
        Assert.Equal(1L, afterEvict);
    }

    /// <summary>Calls so far of statements in this test's database matching either pattern (pg_stat_statements).</summary>
    private static Task<long> RegistryStatementsAsync(string connectionString, string pattern, string orPattern) =>
        TestPostgres.ScalarAsync<long>(connectionString, """
            SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND (query ILIKE $1 OR query ILIKE $2) AND query NOT ILIKE '%pg_stat_statements%'
            """, pattern, orPattern);
}
