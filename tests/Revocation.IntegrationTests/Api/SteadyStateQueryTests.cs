using System.Net;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Promise 3, measured at the database with pg_stat_statements: once a token's grains are
/// active, requests through the API cost zero queries.
/// </summary>
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

        // The silos' own start-up reads (the reminder service loads its ranges some seconds after a
        // silo joins, later under load) are no request's: the window opens once a second passes
        // without any statement, and from then on every statement counts.
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(30),
            async () => (await DatabaseStatements.DuringAsync(silos.ConnectionString, () => Task.Delay(TimeSpan.FromSeconds(1)))).Count == 0,
            () => "the registry database never went a second without a statement while nothing was asked");

        // Every statement of this test's database counts, whatever its table, but the reminder
        // service's own reads of its ranges (IsReminderServiceRead) and the session reset Npgsql
        // sends with them on Orleans' pooled connection (ConnectionReset; the registry's own
        // connections skip it): a run here saw one refresh land in this window, "DISCARD ALL" ×2.
        // The test issues none there itself meanwhile: the counts are read from a database of their own.
        var steady = (await DatabaseStatements.DuringAsync(silos.ConnectionString, async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                using var ok = await http.SendAsync(ApiNode.Get("/me", token));
                using var rejected = await http.SendAsync(ApiNode.Get("/me", revoked));
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
            }
        })).Where(s => !IsReminderServiceRead(s.Query) && !ConnectionReset.Contains(s.Query));
        Assert.Empty(steady);

        // The same counter does see queries: evicting the grain makes the next question to it read
        // the row once (asked through the admin status: /me is answered by the node's near cache).
        var afterEvict = await DatabaseStatements.DuringAsync(silos.ConnectionString, async () =>
        {
            using var evict = await http.SendAsync(ApiNode.Post($"/admin/tokens/{TestTokens.JtiOf(revoked)}/evict", admin));
            Assert.Equal(HttpStatusCode.NoContent, evict.StatusCode);
            (await http.SendAsync(ApiNode.Get($"/admin/tokens/{TestTokens.JtiOf(revoked)}", admin))).Dispose();
        });
        var read = Assert.Single(afterEvict, s => !ConnectionReset.Contains(s.Query) && !IsReminderServiceRead(s.Query));
        Assert.Equal(1L, read.Calls);
        Assert.Contains("revoked_tokens", read.Query, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Orleans' reminder service reading its ranges of the reminder table: at a silo's start, when the
    /// ranges move and on its own refresh period, never for a request (CI once saw seven such reads
    /// land in the eviction's window).
    /// </summary>
    private static bool IsReminderServiceRead(string query) =>
        query.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && query.Contains("OrleansRemindersTable", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What Npgsql sends with the first statement on a connection taken back from its pool (the
    /// session reset, itemised when the connection holds prepared statements): housekeeping, no table read.
    /// </summary>
    private static readonly string[] ConnectionReset =
        ["DISCARD ALL", "CLOSE ALL", "SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "UNLISTEN *", "SELECT pg_advisory_unlock_all()", "DISCARD SEQUENCES", "DISCARD TEMP"];
}
