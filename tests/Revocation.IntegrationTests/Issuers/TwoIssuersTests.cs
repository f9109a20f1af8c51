using System.Net;
using System.Text.Json;
using static System.Net.HttpStatusCode;

namespace Revocation.IntegrationTests.Issuers;

/// <summary>
/// A jti and a sub are unique only per issuer: the same value from two trusted issuers names two
/// tokens (two people), revoked apart, on every node; a key, an audience and a token type hold for
/// their own issuer only.
/// </summary>
[Collection(TwoIssuersCollection.Name)]
public sealed class TwoIssuersTests(TwoIssuers nodes)
{
    [Fact]
    public async Task SameJti_FromTwoIssuers_IsTwoTokens_RevokingOneLeavesTheOtherAcceptedOnBothNodes()
    {
        var jti = $"shared-{Guid.NewGuid():N}";
        var ours = nodes.Tokens.Mint(jti: jti);
        var theirs = nodes.MintOther(jti: jti);

        // Both cached as accepted on both nodes first: the revocation must reach the right entry.
        foreach (var token in new[] { ours, theirs })
        {
            Assert.Equal(OK, await StatusAsync(nodes.A, token));
            Assert.Equal(OK, await StatusAsync(nodes.B, token));
        }

        using var logout = await nodes.A.SendAsync(ApiNode.Post("/auth/logout", ours));
        Assert.Equal(NoContent, logout.StatusCode);

        Assert.Equal(Unauthorized, await StatusAsync(nodes.B, ours));
        Assert.Equal(Unauthorized, await StatusAsync(nodes.A, ours));
        Assert.Equal(OK, await StatusAsync(nodes.B, theirs));
        Assert.Equal(OK, await StatusAsync(nodes.A, theirs));

        // And the other way round, through the other node and RFC 7009.
        using var revoke = await nodes.B.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", theirs))));
        Assert.Equal(OK, revoke.StatusCode);
        Assert.Equal(Unauthorized, await StatusAsync(nodes.A, theirs));
    }

    [Fact]
    public async Task SameSub_LogoutEverywhereAtOneIssuer_LeavesTheOtherIssuersTokensOfThatSubAccepted()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var issuedBefore = new Dictionary<string, object?> { ["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds() };
        var ours = nodes.Tokens.Mint(sub: sub, overrides: issuedBefore);
        var oursToo = nodes.Tokens.Mint(sub: sub, overrides: issuedBefore);
        var theirs = nodes.MintOther(sub: sub, overrides: issuedBefore);
        Assert.Equal(OK, await StatusAsync(nodes.B, oursToo));
        Assert.Equal(OK, await StatusAsync(nodes.B, theirs));

        using var logout = await nodes.A.SendAsync(ApiNode.Post("/auth/logout?everywhere=true", ours));
        Assert.Equal(NoContent, logout.StatusCode);

        Assert.Equal(Unauthorized, await StatusAsync(nodes.B, oursToo));
        Assert.Equal(OK, await StatusAsync(nodes.B, theirs));
        Assert.Equal(OK, await StatusAsync(nodes.A, theirs));
    }

    [Fact]
    public async Task AdminEndpoints_WithSeveralIssuers_NeedTheIssuer_AndAnswerForThatIssuerOnly()
    {
        var jti = $"admin-{Guid.NewGuid():N}";
        var theirs = nodes.MintOther(jti: jti);
        var admin = nodes.Tokens.Mint(scope: "admin");
        var until = JsonContent(new { expiresAt = DateTimeOffset.UtcNow.AddHours(1) });

        using var unnamed = await nodes.A.SendAsync(ApiNode.Get($"/admin/tokens/{jti}", admin));
        using var revoke = await nodes.A.SendAsync(ApiNode.Post($"/admin/tokens/{jti}/revoke?iss={Uri.EscapeDataString(TwoIssuers.OtherIssuer)}", admin, until));
        using var ours = await nodes.A.SendAsync(ApiNode.Get($"/admin/tokens/{jti}?iss={Uri.EscapeDataString(TestTokens.Issuer)}", admin));

        Assert.Equal(BadRequest, unnamed.StatusCode);
        Assert.Contains("?iss=", await unnamed.Content.ReadAsStringAsync());
        Assert.Equal(OK, revoke.StatusCode);
        Assert.False(JsonDocument.Parse(await ours.Content.ReadAsStringAsync()).RootElement.GetProperty("revoked").GetBoolean());
        Assert.Equal(Unauthorized, await StatusAsync(nodes.B, theirs));
    }

    [Fact]
    public async Task AKeyOfOneIssuer_NeverVerifiesATokenNamingTheOther()
    {
        // Signed with the other issuer's key, naming ours; and the reverse.
        var forgedOurs = nodes.Other.Mint(nodes.Other.Hs256);
        var forgedTheirs = nodes.Tokens.Mint(overrides: new Dictionary<string, object?> { ["iss"] = TwoIssuers.OtherIssuer }, type: "at+jwt");

        Assert.Equal(Unauthorized, await StatusAsync(nodes.A, forgedOurs));
        Assert.Equal(Unauthorized, await StatusAsync(nodes.A, forgedTheirs));
    }

    [Fact]
    public async Task RequireAccessTokenType_HoldsForItsIssuerOnly()
    {
        Assert.Equal(OK, await StatusAsync(nodes.A, nodes.MintOther()));
        Assert.Equal(OK, await StatusAsync(nodes.A, nodes.MintOther(type: "application/at+jwt")));
        Assert.Equal(Unauthorized, await StatusAsync(nodes.A, nodes.MintOther(type: "JWT")));
        Assert.Equal(OK, await StatusAsync(nodes.A, nodes.Tokens.Mint())); // ours is not required to say at+jwt
    }

    public static TheoryData<string, string?, string, object> NotAccessTokens => new()
    {
        { "back-channel logout token", "logout+jwt", "events", new Dictionary<string, object> { ["http://schemas.openid.net/event/backchannel-logout"] = new Dictionary<string, object>() } },
        { "logout token typed JWT", "JWT", "events", new Dictionary<string, object> { ["http://schemas.openid.net/event/backchannel-logout"] = new Dictionary<string, object>() } },
        { "security event token", "secevent+jwt", "txn", "t-1" },
        { "ID token", null, "at_hash", "x8Zm3cNd9VEhD9ynQ7Zt9Q" },
        { "ID token typed so", "id_token+jwt", "nonce", "n-0S6_WzA2Mj" },
        { "Keycloak ID token", null, "typ", "ID" },
    };

    [Theory]
    [MemberData(nameof(NotAccessTokens))]
    public async Task TokensThatAreNotAccessTokens_AreRefused_WhateverTheSetting(string kind, string? type, string claim, object value)
    {
        var token = nodes.Tokens.Mint(overrides: new Dictionary<string, object?> { [claim] = value }, type: type);

        using var refused = await nodes.A.SendAsync(ApiNode.Get("/me", token));
        Assert.True(Unauthorized == refused.StatusCode, kind);
        Assert.Contains("The token is not an access token", refused.Headers.WwwAuthenticate.ToString());
        using var introspect = await nodes.A.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));
        Assert.False(JsonDocument.Parse(await introspect.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean(), kind);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient node, string token)
    {
        using var response = await node.SendAsync(ApiNode.Get("/me", token));
        return response.StatusCode;
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
