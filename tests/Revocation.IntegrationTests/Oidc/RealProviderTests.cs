using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using static System.Net.HttpStatusCode;

namespace Revocation.IntegrationTests.Oidc;

/// <summary>
/// Promise 11 against a real OpenID Provider (panva's oidc-provider, certified for Back-Channel
/// Logout): the same user signed in twice (two provider sessions), both sessions' access tokens
/// accepted on both API nodes; session 1 ended at the provider; the provider's back-channel call
/// answered 200, session 1's tokens refused on both nodes at once, session 2's still accepted. And
/// keys scoped by issuer: the provider's token and one of the other trusted issuer with the same
/// sub, sid and jti are revoked apart.
/// </summary>
[Collection(RealProviderCollection.Name)]
public sealed class RealProviderTests(RealProviderNodes nodes)
{
    [Fact]
    public async Task ProviderLogoutOfOneSession_Answered200_RefusesThatSessionOnBothNodes_KeepsTheOtherSession()
    {
        var user = $"user-{Guid.NewGuid():N}";
        using var browser1 = nodes.Provider.Browser();
        using var browser2 = nodes.Provider.Browser();
        var session1 = await browser1.SignInAsync(user);
        var session2 = await browser2.SignInAsync(user);
        var (sid1, sid2) = (SidOf(session1), SidOf(session2));
        Assert.NotEqual(sid1, sid2);
        foreach (var token in new[] { session1, session2 })
        {
            Assert.Equal(OK, await MeAsync(nodes.A, token));
            Assert.Equal(OK, await MeAsync(nodes.B, token));
        }

        await browser1.SignOutAsync();

        // The provider posted its logout token and had its answer before it answered the sign-out.
        var log = nodes.Provider.Log();
        var success = $"\"event\":\"backchannel.success\",\"client\":\"{OidcProvider.ClientId}\",\"sub\":\"{user}\",\"sid\":\"{sid1}\"";
        Assert.True(log.Contains(success, StringComparison.Ordinal) && !log.Contains("backchannel.error", StringComparison.Ordinal),
            $"the provider's back-channel call should have succeeded; its log:\n{log}\nnode A:\n{string.Join('\n', nodes.NodeA.Logs.Lines.Where(l => l.Contains("ack-channel", StringComparison.Ordinal) || l.Contains("4504", StringComparison.Ordinal)))}");
        Assert.Equal(Unauthorized, await MeAsync(nodes.B, session1));
        Assert.Equal(Unauthorized, await MeAsync(nodes.A, session1));
        Assert.Equal(OK, await MeAsync(nodes.B, session2));
        Assert.Equal(OK, await MeAsync(nodes.A, session2));
        TokenLeaks.AssertNone([session1, session2], nodes.NodeA.Logs.Lines.Select(line => ("node A", line)));
    }

    [Fact]
    public async Task TheSameSubSidAndJti_FromTheOtherTrustedIssuer_AreOtherKeys_NeitherLogoutTouchesTheOthersToken()
    {
        var user = $"user-{Guid.NewGuid():N}";
        using var browser = nodes.Provider.Browser();
        var session = await browser.SignInAsync(user);
        var sid = SidOf(session);
        var jti = new JsonWebToken(session).Id;
        // The tests' own issuer is trusted beside the provider (the nodes' Jwt section): it mints a
        // token with the very same sub, sid and jti.
        var twin = nodes.Tokens.Mint(jti: jti, sub: user, overrides: new Dictionary<string, object?> { ["sid"] = sid });
        foreach (var token in new[] { session, twin })
        {
            Assert.Equal(OK, await MeAsync(nodes.A, token));
            Assert.Equal(OK, await MeAsync(nodes.B, token));
        }

        using (var logout = await nodes.A.SendAsync(ApiNode.Post("/auth/logout", twin)))
        {
            Assert.Equal(NoContent, logout.StatusCode);
        }

        Assert.Equal(Unauthorized, await MeAsync(nodes.B, twin));
        Assert.Equal(OK, await MeAsync(nodes.B, session));
        Assert.Equal(OK, await MeAsync(nodes.A, session));

        await browser.SignOutAsync();

        var sameSessionOtherIssuer = nodes.Tokens.Mint(sub: user, overrides: new Dictionary<string, object?> { ["sid"] = sid });
        Assert.Equal(Unauthorized, await MeAsync(nodes.B, session));
        Assert.Equal(Unauthorized, await MeAsync(nodes.A, session));
        Assert.Equal(OK, await MeAsync(nodes.B, sameSessionOtherIssuer));
        Assert.Equal(OK, await MeAsync(nodes.A, sameSessionOtherIssuer));
    }

    private static string SidOf(string accessToken)
    {
        var token = new JsonWebToken(accessToken);
        Assert.Equal("at+jwt", token.Typ);
        return token.GetPayloadValue<string>("sid");
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient node, string token)
    {
        using var request = ApiNode.Get("/me", token);
        using var response = await node.SendAsync(request);
        return response.StatusCode;
    }
}
