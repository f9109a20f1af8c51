using System.Net;
using System.Text.Json;

namespace Revocation.IntegrationTests.Api;

/// <summary>RFC 7009 revocation and RFC 7662 introspection.</summary>
[Collection(ApiCollection.Name)]
public sealed class OAuthTests(ApiNode api)
{
    private Task<HttpResponseMessage> RevokeAsync(string token, string? hint = null) =>
        api.SendAsync(ApiNode.ClientPost("/oauth2/revoke",
            hint is null ? ApiNode.Form(("token", token)) : ApiNode.Form(("token", token), ("token_type_hint", hint))));

    private async Task<JsonElement> IntrospectAsync(string token, string clientId = OAuthTestClients.ClientId, string secret = OAuthTestClients.ClientSecret)
    {
        using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token)), clientId, secret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Revoke_ValidToken_Returns200AndTheTokenIsRejectedEverywhere()
    {
        var token = await api.IssueAsync("frank");

        using var response = await RevokeAsync(token, "access_token");
        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(1, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("azp")]
    public async Task Revoke_TokenIssuedToThisClient_IsRevoked(string claim)
    {
        var token = api.Tokens.Mint(overrides: new Dictionary<string, object?> { [claim] = OAuthTestClients.ClientId });

        using var response = await RevokeAsync(token);
        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("azp")]
    public async Task Revoke_TokenIssuedToAnotherClient_IsRefusedAndChangesNothing(string claim)
    {
        var token = api.Tokens.Mint(overrides: new Dictionary<string, object?> { [claim] = "client-b" });

        using var response = await RevokeAsync(token);
        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unauthorized_client", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(0, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    [Fact]
    public async Task Revoke_AlreadyRevokedToken_Returns200Again()
    {
        var token = api.Tokens.Mint();
        (await RevokeAsync(token)).Dispose();

        using var again = await RevokeAsync(token);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("malformed")]
    [InlineData("expired")]
    [InlineData("foreign-signature")]
    [InlineData("unknown-hint")]
    public async Task Revoke_TokenThatNeedsNoRevocation_Returns200AndWritesNothing(string kind)
    {
        var before = await api.Silos.RowCountAsync();
        var token = kind switch
        {
            "unknown" => "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJub2JvZHkifQ.c2lnbmF0dXJl",
            "malformed" => "this is not a token",
            "expired" => api.Tokens.Mint(overrides: new Dictionary<string, object?>
            {
                ["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
                ["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
                ["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
            }),
            "foreign-signature" => api.Tokens.Mint(new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), "HS256")),
            _ => api.Tokens.Mint(),
        };

        using var response = await RevokeAsync(token, kind == "unknown-hint" ? "something_else" : null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(kind == "unknown-hint" ? before + 1 : before, await api.Silos.RowCountAsync());
    }

    [Fact]
    public async Task Revoke_WithoutTokenParameter_Is400InvalidRequest()
    {
        using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token_type_hint", "access_token"))));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", body.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/oauth2/revoke")]
    [InlineData("/oauth2/introspect")]
    public async Task OAuthEndpoints_WithoutValidClientCredentials_Are401InvalidClient(string path)
    {
        var token = api.Tokens.Mint();
        using var wrongSecret = await api.SendAsync(ApiNode.ClientPost(path, ApiNode.Form(("token", token)), secret: "wrong"));
        using var unknownClient = await api.SendAsync(ApiNode.ClientPost(path, ApiNode.Form(("token", token)), clientId: "nobody"));
        using var anonymous = await api.SendAsync(ApiNode.Post(path, content: ApiNode.Form(("token", token))));
        using var body = JsonDocument.Parse(await wrongSecret.Content.ReadAsStringAsync());

        Assert.All([wrongSecret, unknownClient, anonymous], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    [Fact]
    public async Task Introspect_ActiveToken_ReturnsItsClaims()
    {
        var token = api.Tokens.Mint(api.Tokens.Rs256, sub: "grace", scope: "read");

        var body = await IntrospectAsync(token);

        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal("grace", body.GetProperty("sub").GetString());
        Assert.Equal(TestTokens.JtiOf(token), body.GetProperty("jti").GetString());
        Assert.Equal(TestTokens.Issuer, body.GetProperty("iss").GetString());
        Assert.Equal(TestTokens.Audience, body.GetProperty("aud").GetString());
        Assert.Equal("read", body.GetProperty("scope").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        foreach (var claim in new[] { "exp", "iat", "nbf" })
        {
            Assert.True(body.GetProperty(claim).GetInt64() > 0, claim);
        }
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("azp")]
    public async Task Introspect_TokenIssuedToThisClient_IsActiveWithItsClaims(string claim)
    {
        var token = api.Tokens.Mint(sub: "heidi", scope: "read", overrides: new Dictionary<string, object?> { [claim] = OAuthTestClients.ClientId });

        var body = await IntrospectAsync(token);

        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal("heidi", body.GetProperty("sub").GetString());
        Assert.Equal("read", body.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("azp")]
    public async Task Introspect_TokenIssuedToAnotherClient_SaysOnlyInactive(string claim)
    {
        var token = api.Tokens.Mint(sub: "ivan", scope: "read", overrides: new Dictionary<string, object?> { [claim] = OAuthTestClients.OtherClientId });

        var body = await IntrospectAsync(token);
        var owner = await IntrospectAsync(token, OAuthTestClients.OtherClientId, OAuthTestClients.OtherClientSecret);

        Assert.Equal("""{"active":false}""", body.GetRawText());
        Assert.True(owner.GetProperty("active").GetBoolean()); // the token itself is valid: only the caller differs
    }

    [Fact]
    public async Task Introspect_TokenNamingNoClient_IsActiveForEveryClient()
    {
        var token = api.Tokens.Mint(sub: "judy");

        var first = await IntrospectAsync(token);
        var second = await IntrospectAsync(token, OAuthTestClients.OtherClientId, OAuthTestClients.OtherClientSecret);

        Assert.Equal("judy", first.GetProperty("sub").GetString());
        Assert.Equal("judy", second.GetProperty("sub").GetString());
        Assert.True(first.GetProperty("active").GetBoolean() && second.GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("expired")]
    [InlineData("malformed")]
    [InlineData("foreign-signature")]
    [InlineData("no-jti")]
    public async Task Introspect_InactiveToken_SaysOnlyInactive(string kind)
    {
        var token = kind switch
        {
            "expired" => api.Tokens.Mint(overrides: new Dictionary<string, object?>
            {
                ["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
                ["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
            }),
            "malformed" => "a.b.c",
            "foreign-signature" => api.Tokens.Mint(new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), "HS256")),
            "no-jti" => api.Tokens.Mint(overrides: new Dictionary<string, object?> { ["jti"] = null }),
            _ => api.Tokens.Mint(),
        };
        if (kind == "revoked")
        {
            (await RevokeAsync(token)).Dispose();
        }

        var body = await IntrospectAsync(token);

        Assert.Equal("""{"active":false}""", body.GetRawText());
    }
}
