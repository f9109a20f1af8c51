using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Revocation.AspNetCore.NearCache;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// Promise 2 with near caches: node B answers from memory, and after a revocation through node A
/// returns, B rejects the token on its next request — by jti, by subject, and when the check and
/// the revocation race; and by session (promise 11): both nodes refuse every token of a revoked
/// session at once while another session of the same user goes on being answered from memory.
/// </summary>
[Collection(TwoApiNodesCollection.Name)]
public sealed class NearCacheConsistencyTests(TwoApiNodes nodes)
{
    [Fact]
    public async Task TokenCachedOnB_RevokedThroughA_IsRejectedOnB_200Times()
    {
        var stale = 0;
        for (var i = 0; i < 200; i++)
        {
            var token = nodes.Tokens.Mint();
            Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));
            Assert.Equal(AnswerKind.NotRevoked, CachedOnB(token));

            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.A, ApiNode.Post("/auth/logout", token)));
            if (await MeAsync(nodes.B, token) != HttpStatusCode.Unauthorized)
            {
                stale++;
            }
        }

        Assert.Equal(0, stale);
    }

    [Fact]
    public async Task LogoutEverywhereOnA_RejectsTheSubjectsOtherTokensCachedOnB_AtOnce()
    {
        var sub = $"everywhere-{Guid.NewGuid():N}";
        var issuedAt = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeSeconds();
        var older = Enumerable.Range(0, 3).Select(_ => nodes.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?> { ["iat"] = issuedAt })).ToList();
        foreach (var token in older)
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));
        }

        Assert.True(TwoApiNodes.Cache(nodes.NodeB).TrySubject(sub, TwoApiNodes.Now(nodes.NodeB), leased: true, out _), "B should have the subject cached");

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.A, ApiNode.Post("/auth/logout?everywhere=true", older[0])));

        foreach (var token in older)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(nodes.B, token));
        }
    }

    [Fact]
    public async Task ChecksInFlightWhileTheTokenIsRevoked_NeverLeaveANotRevokedAnswerBehind()
    {
        var stale = 0;
        for (var i = 0; i < 60; i++)
        {
            var token = nodes.Tokens.Mint();

            // Checks on B race the revocation through A: each may see either answer, but once the
            // revocation has returned, B must never answer "not revoked" again.
            var checks = Enumerable.Range(0, 6).Select(_ => MeAsync(nodes.B, token)).ToList();
            var revocation = SendAsync(nodes.A, ApiNode.Post("/auth/logout", token));
            Assert.Equal(HttpStatusCode.NoContent, await revocation);
            await Task.WhenAll(checks);

            if (await MeAsync(nodes.B, token) != HttpStatusCode.Unauthorized || CachedOnB(token) == AnswerKind.NotRevoked)
            {
                stale++;
            }
        }

        Assert.Equal(0, stale);
    }

    [Fact]
    public async Task WarmToken_IsAnsweredFromBsMemory()
    {
        var token = nodes.Tokens.Mint();
        Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));

        Assert.Equal(AnswerKind.NotRevoked, CachedOnB(token));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));
    }

    [Fact]
    public async Task SessionCachedOnBothNodes_RevokedThroughA_IsRefusedOnBoth_AndTheOtherSessionKeepsWorking()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var sid = $"sid-{Guid.NewGuid():N}";
        var otherSid = $"sid-{Guid.NewGuid():N}";
        var tokens = Enumerable.Range(0, 3).Select(_ => MintWithSession(sub, sid)).ToList();
        var other = MintWithSession(sub, otherSid);
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
    public async Task ChecksInFlightWhileTheirSessionIsRevoked_NeverLeaveANotRevokedAnswerBehind()
    {
        var stale = 0;
        for (var i = 0; i < 30; i++)
        {
            var sid = $"race-{Guid.NewGuid():N}";
            var token = MintWithSession("racer", sid);
            var sibling = MintWithSession("racer", sid);

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

    private string MintWithSession(string sub, string sid) =>
        nodes.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?> { ["sid"] = sid });

    private static AnswerKind? CachedSession(ApiFactory node, string sid)
    {
        var now = TwoApiNodes.Now(node);
        var cache = TwoApiNodes.Cache(node);
        return cache.Session(TestKeys.Scoped(sid), now, cache.HoldsLease(now));
    }

    [Fact]
    public async Task WarmTokenWithASession_IsAnsweredFromBsMemory_ItsSessionToo()
    {
        var sid = $"warm-{Guid.NewGuid():N}";
        var token = MintWithSession("warm", sid);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));

        // Both parts of the check are cached under the lease: checking it again asks no grain.
        Assert.Equal(AnswerKind.NotRevoked, CachedOnB(token));
        Assert.Equal(AnswerKind.NotRevoked, CachedSession(nodes.NodeB, sid));
        var lookups = NearCacheLookupsOf(nodes.NodeB);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));
        }

        Assert.Equal((Hits: 5L, Misses: 0L), lookups());
    }

    /// <summary>From now on, the near-cache hits and misses of <paramref name="node"/> (its own meters only).</summary>
    private static Func<(long Hits, long Misses)> NearCacheLookupsOf(ApiFactory node)
    {
        var factory = node.Services.GetRequiredService<IMeterFactory>();
        long hits = 0, misses = 0;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "revocation.near_cache.lookups")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "result" && (string?)tag.Value == "hit")
                {
                    Interlocked.Add(ref hits, value);
                }
                else if (tag.Key == "result")
                {
                    Interlocked.Add(ref misses, value);
                }
            }
        });
        listener.Start();
        return () =>
        {
            listener.Dispose();
            return (Interlocked.Read(ref hits), Interlocked.Read(ref misses));
        };
    }

    private AnswerKind? CachedOnB(string token)
    {
        var now = TwoApiNodes.Now(nodes.NodeB);
        var cache = TwoApiNodes.Cache(nodes.NodeB);
        return cache.Token(TestTokens.JtiOf(token), now, cache.HoldsLease(now));
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
