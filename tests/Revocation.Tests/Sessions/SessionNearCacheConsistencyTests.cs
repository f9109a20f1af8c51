using System.Net;
using Revocation.AspNetCore.NearCache;
using Revocation.Tests.Infrastructure;
using Revocation.Tests.NearCache;

namespace Revocation.Tests.Sessions;

/// <summary>
/// Promise 11 with near caches on two API nodes: both hold the session's "not revoked" answer in
/// memory; after its revocation through node A returns, both refuse every token of that session on
/// their next request, while another session of the same user goes on being answered from memory.
/// </summary>
[Trait("Category", "Integration")]
[Collection(TwoApiNodesCollection.Name)]
public sealed class SessionNearCacheConsistencyTests(TwoApiNodes nodes)
{
    [Fact]
    public async Task SessionCachedOnBothNodes_RevokedThroughA_IsRefusedOnBoth_AndTheOtherSessionKeepsWorking()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var sid = $"sid-{Guid.NewGuid():N}";
        var otherSid = $"sid-{Guid.NewGuid():N}";
        var tokens = Enumerable.Range(0, 3).Select(_ => Mint(sub, sid)).ToList();
        var other = Mint(sub, otherSid);
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            foreach (var token in tokens.Append(other))
            {
                Assert.Equal(HttpStatusCode.OK, await MeAsync(node, token));
            }
        }

        Assert.Equal(AnswerKind.NotRevoked, CachedSession(nodes.NodeB, sid));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.A, ApiNode.Post("/auth/logout?session=true", tokens[0])));

        Assert.Equal(AnswerKind.Revoked, CachedSession(nodes.NodeB, sid));
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            foreach (var token in tokens)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(node, token));
            }

            Assert.Equal(HttpStatusCode.OK, await MeAsync(node, other));
        }

        Assert.Equal(AnswerKind.NotRevoked, CachedSession(nodes.NodeB, otherSid));
    }

    [Fact]
    public async Task ChecksInFlightWhileTheSessionIsRevoked_NeverLeaveANotRevokedAnswerBehind()
    {
        var stale = 0;
        for (var i = 0; i < 30; i++)
        {
            var sid = $"race-{Guid.NewGuid():N}";
            var token = Mint("racer", sid);
            var sibling = Mint("racer", sid);

            var checks = Enumerable.Range(0, 6).Select(_ => MeAsync(nodes.B, sibling)).ToList();
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.A, ApiNode.Post("/auth/logout?session=true", token)));
            await Task.WhenAll(checks);

            if (await MeAsync(nodes.B, sibling) != HttpStatusCode.Unauthorized || CachedSession(nodes.NodeB, sid) == AnswerKind.NotRevoked)
            {
                stale++;
            }
        }

        Assert.Equal(0, stale);
    }

    private string Mint(string sub, string sid) =>
        nodes.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?> { ["sid"] = sid });

    private static AnswerKind? CachedSession(ApiFactory node, string sid)
    {
        var now = TimeProvider.System.GetTimestamp();
        var cache = TwoApiNodes.Cache(node);
        return cache.Session(TestKeys.Scoped(sid), now, cache.HoldsLease(now));
    }

    private static Task<HttpStatusCode> MeAsync(HttpClient node, string token) => SendAsync(node, ApiNode.Get("/me", token));

    private static async Task<HttpStatusCode> SendAsync(HttpClient node, HttpRequestMessage request)
    {
        using (request)
        using (var response = await node.SendAsync(request))
        {
            return response.StatusCode;
        }
    }
}
