using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Hosting;

/// <summary>PostgreSQL, a silo process and two API processes, all started by the scripts.</summary>
public sealed class ProcessClusterTests
{
    [Fact]
    public async Task LogoutOnOneApiNode_IsRejectedOnTheOther_AndStillAfterThatNodeRestarts()
    {
        await using var cluster = await LocalCluster.UpAsync(silos: 1, apis: 2);
        using var nodeA = new HttpClient { BaseAddress = cluster.Api(0) };
        using var nodeB = new HttpClient { BaseAddress = cluster.Api(1) };

        var token = await IssueAsync(nodeA);
        using var beforeOnB = await nodeB.SendAsync(ApiNode.Get("/me", token));
        using var logoutOnA = await nodeA.SendAsync(ApiNode.Post("/auth/logout", token));
        using var afterOnB = await nodeB.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, beforeOnB.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logoutOnA.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterOnB.StatusCode);
        Assert.Contains("The token has been revoked", afterOnB.Headers.WwwAuthenticate.ToString());

        await cluster.RestartApiAsync(1);

        using var afterRestart = await nodeB.SendAsync(ApiNode.Get("/me", token));
        Assert.Equal(HttpStatusCode.Unauthorized, afterRestart.StatusCode);
        var freshToken = await IssueAsync(nodeB);
        using var freshMe = await nodeB.SendAsync(ApiNode.Get("/me", freshToken));
        Assert.Equal(HttpStatusCode.OK, freshMe.StatusCode);

        using var silo = new HttpClient { BaseAddress = cluster.SiloHttp(0) };
        var siloMetrics = await silo.GetStringAsync("/metrics");
        var apiMetrics = await nodeB.GetStringAsync("/metrics");
        Assert.Matches(@"revocation_token_grain_activations_total\{[^}]*\} [1-9]", siloMetrics);
        Assert.Matches(@"revocation_token_grain_store_reads_total\{[^}]*\} [1-9]", siloMetrics);
        Assert.Matches(@"revocation_token_grain_cache_hits_total\{[^}]*\} [1-9]", siloMetrics);
        Assert.Matches(@"revocation_token_grain_revocations_total\{[^}]*\} 1", siloMetrics);
        Assert.Contains("orleans_", siloMetrics);
        Assert.Matches(@"revocation_checks_total\{[^}]*outcome=""revoked""", apiMetrics);
        Assert.Contains("revocation_check_duration_seconds_bucket", apiMetrics);
        Assert.Equal("Healthy", await silo.GetStringAsync("/health/ready"));
    }

    private static async Task<string> IssueAsync(HttpClient node)
    {
        using var issued = await node.PostAsJsonAsync("/auth/token", new { sub = "e2e-user" });
        issued.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }
}
