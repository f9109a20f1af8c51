using System.Net;
using Revocation.AspNetCore;
using Revocation.IntegrationTests.Metrics;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// A client replaying a revoked token at full speed: every request refused and counted, the log not
/// flooded. In the metrics collection, which runs alone: every host in the test process feeds every
/// host's /metrics, so the count is only this test's while nothing else runs.
/// </summary>
[Collection(Metrics.MetricsCollection.Name)]
public sealed class RevokedReplayTests(Metrics.MetricsNode api)
{
    [Fact]
    public async Task RevokedTokenReplayedAThousandTimes_IsCountedEveryTime_AndLoggedOnce()
    {
        // A node whose log holds this test's requests only (the collection's second node).
        var node = api.PlainApi;
        using var http = node.CreateClient();
        using var management = node.CreateManagementClient();
        var token = api.Tokens.Mint();
        var jti = TestTokens.JtiOf(token);
        using (var logout = await http.SendAsync(ApiNode.Post("/auth/logout", token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var linesBefore = node.Logs.Lines.Count;
        var countedBefore = (await MetricsScrape.TakeAsync(management)).Value("revocation_checks_total", ("outcome", "revoked"));
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, cancellation) =>
        {
            using var request = ApiNode.Get("/me", token);
            using var replay = await http.SendAsync(request, cancellation);
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        });

        // Every line the node wrote meanwhile, whatever its source (the sink also records scopes, which are not lines).
        var written = node.Logs.Lines.Skip(linesBefore).Where(line => !line.Contains(" scope: ", StringComparison.Ordinal)).ToList();
        Assert.True(written.Count <= 5, $"{written.Count} lines:\n{string.Join('\n', written.Take(20))}");
        Assert.Single(written, line => line.Contains($"Rejected token {jti}: revoked", StringComparison.Ordinal));
        var metrics = await MetricsScrape.TakeAsync(management);
        Assert.Equal(1000, metrics.Value("revocation_checks_total", ("outcome", "revoked")) - countedBefore);
    }
}
