using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class AuthFlowTests(ApiNode api)
{
    [Fact]
    public async Task IssueThenLogout_TheTokenIsRejectedWithTheRevokedChallenge()
    {
        var token = await api.IssueAsync("alice");

        var flow = await LogoutRoundTrip.RunAsync(api.Http, token);

        flow.AssertRevoked();
        Assert.Equal(1, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    [Fact]
    public async Task RevokedToken_ItsOwnLogoutChangesNothing_ButItCannotEndItsSubjectsOrSessionsTokens()
    {
        // A plain logout is not checked first (an idempotent revocation of the token itself); the
        // forms that reach other tokens are, whatever the value of their key.
        var token = api.Tokens.Mint(sub: $"revoked-{Guid.NewGuid():N}", overrides: new Dictionary<string, object?> { ["sid"] = $"sid-{Guid.NewGuid():N}" });
        var grain = api.Silos.Grains.GetTokenGrain(TestTokens.Issuer, TestTokens.JtiOf(token));
        using (var first = await api.SendAsync(ApiNode.Post("/auth/logout", token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        var revoked = await grain.GetStatusAsync();
        using (var again = await api.SendAsync(ApiNode.Post("/auth/logout", token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        foreach (var query in (string[])["everywhere=true", "session=true", "everywhere=false", "session=false", "EVERYWHERE=true"])
        {
            using var refused = await api.SendAsync(ApiNode.Post($"/auth/logout?{query}", token));
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"?{query}: {(int)refused.StatusCode}");
            Assert.Contains("revoked", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var me = await api.SendAsync(ApiNode.Get("/me", token));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.True(revoked.Revoked);
        Assert.Equal(revoked, await grain.GetStatusAsync()); // revoked_at, reason and expiry as the first logout left them
        Assert.Equal(1, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    [Fact]
    public async Task IssuedToken_CarriesTheDocumentedClaims()
    {
        using var development = api.Development.CreateClient();
        using var response = await development.PostAsJsonAsync("/auth/token", new { sub = "carol", lifetimeSeconds = 120, scope = "read write" });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(body.RootElement.GetProperty("access_token").GetString());

        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(120, body.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal("carol", token.Subject);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token.Id); // 128 random bits, URL-safe
        Assert.Equal(TestTokens.Issuer, token.Issuer);
        Assert.Equal([TestTokens.Audience], token.Audiences);
        Assert.Equal("read write", token.GetPayloadValue<string>("scope"));
        Assert.Equal(120, (token.ValidTo - token.ValidFrom).TotalSeconds);
        Assert.True(token.TryGetPayloadValue<long>("iat", out _));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task TokensMintedWithTheTestsOwnKeys_AreAccepted(string algorithm)
    {
        var credentials = algorithm switch { "HS256" => api.Tokens.Hs256, "RS256" => api.Tokens.Rs256, _ => api.Tokens.Es256 };
        var token = api.Tokens.Mint(credentials, sub: "dave");

        using var response = await api.SendAsync(ApiNode.Get("/me", token));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dave", body.RootElement.GetProperty("sub").GetString());
        Assert.Equal(TestTokens.JtiOf(token), body.RootElement.GetProperty("jti").GetString());
    }

    [Fact]
    public async Task RevokedRs256Token_IsRejected()
    {
        var token = api.Tokens.Mint(api.Tokens.Rs256);

        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout", token));
        using var after = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("ключ-🔑-")]
    [InlineData("x' OR '1'='1' --")]
    [InlineData("\"; DROP TABLE revoked_tokens; --")]
    [InlineData("%00%27")]
    public async Task UnusualJti_IsCheckedAndRevokedVerbatim(string prefix)
    {
        var jti = prefix + Guid.NewGuid().ToString("N");
        var token = api.Tokens.Mint(jti: jti);

        using var before = await api.SendAsync(ApiNode.Get("/me", token));
        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout", token));
        using var after = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(1, await api.Silos.RowCountAsync(jti));
    }

    [Fact]
    public async Task NoTokenEverReachesTheLogs()
    {
        var issued = await api.IssueAsync("erin");
        var minted = api.Tokens.Mint(api.Tokens.Rs256);
        var forged = api.Tokens.Mint(new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), "HS256"));
        foreach (var token in new[] { issued, minted, forged })
        {
            (await api.SendAsync(ApiNode.Get("/me", token))).Dispose();
            (await api.SendAsync(ApiNode.Post("/auth/logout", token))).Dispose();
            (await api.SendAsync(ApiNode.Get("/me", token))).Dispose();
            (await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))))).Dispose();
            (await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))))).Dispose();
        }

        var logs = api.Factory.Logs.Lines.Select(line => ("API node log", line))
            .Concat(api.Development.Logs.Lines.Select(line => ("issuing API node log", line)))
            .Concat(api.Silos.Logs.Lines.Select(line => ("silo log", line)))
            .ToList();
        // The jti is logged, by the API node and by the silo that revoked it.
        Assert.Contains(api.Factory.Logs.Lines, line => line.Contains(TestTokens.JtiOf(issued), StringComparison.Ordinal));
        Assert.Contains(api.Silos.Logs.Lines, line => line.Contains(TestTokens.JtiOf(issued), StringComparison.Ordinal));
        // Every token this collection's tests minted so far, not only these: bad input, odd claims, admin tokens.
        TokenLeaks.AssertNone([issued, .. api.Tokens.Minted], logs);
    }
}
