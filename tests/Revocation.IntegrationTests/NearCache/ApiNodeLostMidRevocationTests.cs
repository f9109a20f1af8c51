using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// An API node stops hard in the middle of a logout (in process: its host disposed while the
/// revocation is held in the database; not a real process kill). The client never hears a success
/// that is not true; the registry finishes the revocation the dead node started, so the token ends
/// revoked everywhere; a retry on the restarted node is idempotent; and once a revocation is
/// acknowledged no node accepts the token.
/// </summary>
public sealed class ApiNodeLostMidRevocationTests(NodeLossRegistry registry) : IClassFixture<NodeLossRegistry>
{
    [Fact]
    public async Task NodeStoppedWhileItsRevocationIsHeld_ClientGetsNoSuccess_TokenEndsRevokedEverywhere()
    {
        var token = registry.Tokens.Mint(jti: $"{HeldRevocationWrite.Prefix}{Guid.NewGuid():N}");
        var jti = TestTokens.JtiOf(token);
        var nodeA = registry.StartHardStoppingNode();
        var a = nodeA.CreateClient();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(TwoApiNodes.HoldsLease(nodeA) && TwoApiNodes.HoldsLease(registry.NodeB)), () => "both nodes should hold a lease");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.B, ApiNode.Get("/me", token))); // B caches "not revoked"

        await using (var held = await HeldRevocationWrite.StartAsync(registry.Silos.ConnectionString))
        {
            var logout = OutcomeAsync(a, ApiNode.Post("/auth/logout", token));
            await held.WaitUntilAWriteWaitsAsync();

            await NodeLossRegistry.StopHardAsync(nodeA); // the node goes while its revocation waits in the database
            a.Dispose();

            var outcome = await logout.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(outcome != "204", $"the client was told the logout succeeded while it was not yet durable ({outcome})");
            Assert.Equal(0, await registry.Silos.RowCountAsync(jti));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.B, ApiNode.Get("/me", token))); // not revoked yet: nothing was acknowledged
        }

        // The write goes on without the node that asked for it; the registry tells B, waits out the
        // dead node's lease, and the token is revoked everywhere.
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(20),
            async () => await StatusAsync(registry.B, ApiNode.Get("/me", token)) == HttpStatusCode.Unauthorized,
            () => "B still accepts the token whose revocation the registry completed");
        Assert.Equal(1, await registry.Silos.RowCountAsync(jti));

        // The node restarts; the client retries (RFC 7009, idempotent): acknowledged, and from then on no node accepts it.
        await using var restarted = registry.StartNode();
        using var a2 = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(a2, ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token)))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(a2, ApiNode.Get("/me", token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(registry.B, ApiNode.Get("/me", token)));
        Assert.Equal(1, await registry.Silos.RowCountAsync(jti));
        Assert.True((await registry.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync()).Revoked);
    }

    [Fact]
    public async Task NodeStoppedBeforeTheLogoutArrived_NothingIsRevoked_TheRetryOnTheRestartedNodeRevokes()
    {
        var token = registry.Tokens.Mint();
        var jti = TestTokens.JtiOf(token);
        var nodeA = registry.StartHardStoppingNode();
        var a = nodeA.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.B, ApiNode.Get("/me", token)));

        await NodeLossRegistry.StopHardAsync(nodeA); // stopped before the logout could be sent
        var outcome = await OutcomeAsync(a, ApiNode.Post("/auth/logout", token));
        a.Dispose();

        Assert.NotEqual("204", outcome);
        Assert.Equal(0, await registry.Silos.RowCountAsync(jti));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.B, ApiNode.Get("/me", token)));

        await using var restarted = registry.StartNode();
        using var a2 = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(a2, ApiNode.Post("/auth/logout", token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(registry.B, ApiNode.Get("/me", token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(a2, ApiNode.Get("/me", token)));
        Assert.Equal(1, await registry.Silos.RowCountAsync(jti));
    }

    /// <summary>The status code, or the kind of error the client saw instead of a response.</summary>
    private static async Task<string> OutcomeAsync(HttpClient node, HttpRequestMessage request)
    {
        try
        {
            return ((int)await StatusAsync(node, request)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or ObjectDisposedException)
        {
            return ex.GetType().Name;
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient node, HttpRequestMessage request)
    {
        using (request)
        using (var response = await node.SendAsync(request))
        {
            return response.StatusCode;
        }
    }
}
