using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Keys from an OIDC authority: a small discovery + JWKS server on loopback publishes a key the
/// API node is not configured with; tokens signed by it are accepted, and still revocable.
/// </summary>
public sealed class OidcAuthorityTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private readonly RSA _authorityKey = RSA.Create(2048);
    private WebApplication _authority = null!;
    private TestSilos _silos = null!;
    private ApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        var port = TestPorts.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _authority = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_authorityKey.ExportParameters(false)) { KeyId = "authority-key" });
        _authority.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = TestTokens.Issuer,
            ["jwks_uri"] = $"http://127.0.0.1:{port}/jwks",
        }));
        _authority.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } },
        }));
        await _authority.StartAsync();

        _silos = await TestSilos.StartAsync(1, "oidc");
        _api = new ApiFactory(_silos, _tokens, new Dictionary<string, string?>
        {
            ["Jwt:Authority"] = $"http://127.0.0.1:{port}",
            ["Jwt:RequireHttpsMetadata"] = "false", // plain HTTP on loopback, for this test only
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _silos.DisposeAsync();
        await _authority.DisposeAsync();
        _authorityKey.Dispose();
        _tokens.Dispose();
    }

    [Fact]
    public async Task TokenSignedWithTheAuthoritysKey_IsAccepted_IntrospectedAndRevocable()
    {
        using var http = _api.CreateClient();
        var credentials = new SigningCredentials(new RsaSecurityKey(_authorityKey) { KeyId = "authority-key" }, SecurityAlgorithms.RsaSha256);
        var token = _tokens.Mint(credentials, sub: "oidc-user");
        var foreign = _tokens.Mint(new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "authority-key" }, SecurityAlgorithms.RsaSha256));

        using var me = await http.SendAsync(ApiNode.Get("/me", token));
        using var introspect = await http.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));
        using var forged = await http.SendAsync(ApiNode.Get("/me", foreign));
        using var logout = await http.SendAsync(ApiNode.Post("/auth/logout", token));
        using var after = await http.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True(JsonDocument.Parse(await introspect.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
