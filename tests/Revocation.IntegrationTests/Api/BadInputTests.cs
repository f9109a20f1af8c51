using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Revocation.IntegrationTests.Fixtures;
using static System.Net.HttpStatusCode;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Promise 5: bad input gets a clear 4xx — each case the one its endpoint's contract names, never
/// a 500 — and changes nothing: no table of the registry's database differs afterwards.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiNode api)
{
    private static long Ago(int minutes) => DateTimeOffset.UtcNow.AddMinutes(-minutes).ToUnixTimeSeconds();

    private static long Ahead(int minutes) => DateTimeOffset.UtcNow.AddMinutes(minutes).ToUnixTimeSeconds();

    private static readonly Dictionary<string, (HttpStatusCode Status, Func<ApiNode, HttpRequestMessage> Request)> Cases = new()
    {
        // Authorization header shapes
        ["no Authorization header"] = (Unauthorized, _ => ApiNode.Get("/me")),
        ["Bearer without token"] = (Unauthorized, _ => Raw("/me", "Bearer")),
        ["Bearer with blank token"] = (Unauthorized, _ => Raw("/me", "Bearer    ")),
        ["Basic credentials on /me"] = (Unauthorized, _ => Raw("/me", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b")))),
        ["two tokens in one header"] = (Unauthorized, a => Raw("/me", $"Bearer {a.Tokens.Mint()} {a.Tokens.Mint()}")),
        ["token only in the query string"] = (Unauthorized, a => ApiNode.Get($"/me?access_token={a.Tokens.Mint()}")),
        // Garbage and truncation
        ["garbage token"] = (Unauthorized, _ => ApiNode.Get("/me", "garbage")),
        ["two segments"] = (Unauthorized, _ => ApiNode.Get("/me", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0")),
        ["five segments (JWE-like)"] = (Unauthorized, _ => ApiNode.Get("/me", "a.b.c.d.e")),
        ["non-base64 segments"] = (Unauthorized, _ => ApiNode.Get("/me", "!!!.@@@.###")),
        ["header is not JSON"] = (Unauthorized, _ => ApiNode.Get("/me", $"{B64("not json")}.{B64("{}")}.{B64("sig")}")),
        ["truncated token"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint()[..^12])),
        ["payload tampered"] = (Unauthorized, a => ApiNode.Get("/me", Tamper(a.Tokens.Mint()))),
        // Signatures and algorithms
        ["wrong HMAC key"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), "HS256")))),
        ["wrong RSA key"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), "RS256")))),
        ["alg none"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.MintUnsigned())),
        ["HS/RS confusion: HS256 keyed with the RSA public key"] = (Unauthorized, a => ApiNode.Get("/me",
            a.Tokens.Mint(new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(a.Tokens.RsaPublicPem)), "HS256")))),
        ["ES256 with a foreign EC key"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)), "ES256")))),
        ["HS512 with a foreign key"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), "HS512")))),
        // Claims
        ["expired"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["exp"] = Ago(10), ["nbf"] = Ago(20), ["iat"] = Ago(20) }))),
        ["not yet valid"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["nbf"] = Ahead(10) }))),
        ["no exp"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["exp"] = null }))),
        ["wrong issuer"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["iss"] = "https://evil.example" }))),
        ["wrong audience"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["aud"] = "another-api" }))),
        ["missing jti"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["jti"] = null }))),
        ["10 KB jti"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(jti: new string('j', 10 * 1024)))),
        ["jti with a control character"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(jti: "abc\u0001def"))),
        ["non-ASCII jti, badly signed"] = (Unauthorized, a => ApiNode.Get("/me", Tamper(a.Tokens.Mint(jti: "ключ-🔑")))),
        ["SQL-meta jti, unsigned"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.MintUnsigned(jti: "'; DELETE FROM revoked_tokens; --"))),
        ["no iat"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["iat"] = null }))),
        ["iat in the future"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["iat"] = Ahead(10) }))),
        ["300-character sub"] = (Unauthorized, a => ApiNode.Get("/me", a.Tokens.Mint(sub: new string('s', 300)))),
        ["admin subject revoke: control character in sub"] = (BadRequest, a => ApiNode.Post("/admin/subjects/bad%0Asub/revoke", a.AdminToken())),
        ["logout without token"] = (Unauthorized, _ => ApiNode.Post("/auth/logout")),
        ["logout with expired token"] = (Unauthorized, a => ApiNode.Post("/auth/logout", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["exp"] = Ago(10), ["nbf"] = Ago(20) }))),
        // A plain logout is not checked first: its token's input rules are applied by the logout itself.
        ["logout: missing jti"] = (BadRequest, a => ApiNode.Post("/auth/logout", a.Tokens.Mint(overrides: new Dictionary<string, object?> { ["jti"] = null }))),
        ["logout: 10 KB jti"] = (BadRequest, a => ApiNode.Post("/auth/logout", a.Tokens.Mint(jti: new string('j', 10 * 1024)))),
        ["logout: jti with a control character"] = (BadRequest, a => ApiNode.Post("/auth/logout", a.Tokens.Mint(jti: "abc\u0001def"))),
        ["logout: badly signed"] = (Unauthorized, a => ApiNode.Post("/auth/logout", Tamper(a.Tokens.Mint()))),
        ["logout: alg none"] = (Unauthorized, a => ApiNode.Post("/auth/logout", a.Tokens.MintUnsigned())),
        // OAuth endpoints
        ["revoke: JSON body"] = (BadRequest, a => ApiNode.ClientPost("/oauth2/revoke", JsonContent.Create(new { token = a.Tokens.Mint() }))),
        ["revoke: multipart body"] = (BadRequest, a => ApiNode.ClientPost("/oauth2/revoke", new MultipartFormDataContent { { new StringContent(a.Tokens.Mint()), "token" } })),
        ["revoke: text/plain body"] = (BadRequest, a => ApiNode.ClientPost("/oauth2/revoke", new StringContent("token=" + a.Tokens.Mint()))),
        ["revoke: no body"] = (BadRequest, _ => ApiNode.ClientPost("/oauth2/revoke", null)),
        ["revoke: token given twice"] = (BadRequest, a => ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", a.Tokens.Mint()), ("token", a.Tokens.Mint())))),
        ["revoke: empty token"] = (BadRequest, _ => ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", "")))),
        ["revoke: oversized body"] = (RequestEntityTooLarge, a => ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", a.Tokens.Mint()), ("padding", new string('x', 200 * 1024))))),
        ["revoke: Basic header not base64"] = (Unauthorized, a => WithAuthorization(ApiNode.Post("/oauth2/revoke", content: ApiNode.Form(("token", a.Tokens.Mint()))), "Basic %%%")),
        ["revoke: Basic header without colon"] = (Unauthorized, a => WithAuthorization(ApiNode.Post("/oauth2/revoke", content: ApiNode.Form(("token", a.Tokens.Mint()))), "Basic " + B64("client-a"))),
        ["introspect: JSON body"] = (BadRequest, a => ApiNode.ClientPost("/oauth2/introspect", JsonContent.Create(new { token = a.Tokens.Mint() }))),
        ["introspect: no token"] = (BadRequest, _ => ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token_type_hint", "access_token")))),
        // JSON endpoints
        ["token: unknown field"] = (BadRequest, _ => Json("/auth/token", null, """{"sub":"x","admin":true}""")),
        ["token: malformed JSON"] = (BadRequest, _ => Json("/auth/token", null, """{"sub":""")),
        ["token: empty sub"] = (BadRequest, _ => Json("/auth/token", null, """{"sub":""}""")),
        ["token: negative lifetime"] = (BadRequest, _ => Json("/auth/token", null, """{"sub":"x","lifetimeSeconds":-5}""")),
        ["token: lifetime beyond the maximum"] = (BadRequest, _ => Json("/auth/token", null, """{"sub":"x","lifetimeSeconds":999999999}""")),
        ["token: sub of the wrong type"] = (BadRequest, _ => Json("/auth/token", null, """{"sub":42}""")),
        ["token: text/plain body"] = (UnsupportedMediaType, _ => ApiNode.Post("/auth/token", content: new StringContent("""{"sub":"x"}"""))),
        ["admin revoke: unknown field"] = (BadRequest, a => Json("/admin/tokens/victim-1/revoke", a.AdminToken(), $$"""{"expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}","force":true}""")),
        ["admin revoke: missing expiresAt"] = (BadRequest, a => Json("/admin/tokens/victim-2/revoke", a.AdminToken(), """{"reason":"x"}""")),
        ["admin revoke: expiresAt not a date"] = (BadRequest, a => Json("/admin/tokens/victim-3/revoke", a.AdminToken(), """{"expiresAt":"tomorrow"}""")),
        ["admin revoke: reason over 512 characters"] = (BadRequest, a => Json("/admin/tokens/victim-4/revoke", a.AdminToken(),
            $$"""{"expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}","reason":"{{new string('r', 513)}}"}""")),
        ["admin revoke: control character in jti"] = (BadRequest, a => Json("/admin/tokens/bad%01jti/revoke", a.AdminToken(),
            $$"""{"expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}"}""")),
        ["admin status: 300-character jti"] = (BadRequest, a => ApiNode.Get($"/admin/tokens/{new string('j', 300)}", a.AdminToken())),
        // Refused by Kestrel itself (a NUL is not allowed in a request target), before any routing.
        ["admin evict: NUL in jti"] = (BadRequest, a => ApiNode.Post("/admin/tokens/nul%00jti/evict", a.AdminToken())),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadInput_GetsItsStatus_AndChangesNoTable(string name)
    {
        var (status, request) = Cases[name];
        var tablesBefore = await TableContents.TakeAsync(api.Silos.ConnectionString);

        using var message = request(api);
        // The development issuer exists only in Development: its cases go to that node.
        var issuing = message.RequestUri!.OriginalString.StartsWith("/auth/token", StringComparison.Ordinal);
        using var http = issuing ? api.Development.CreateClient() : null;
        using var response = await (http ?? api.Http).SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(
            status == response.StatusCode,
            $"{name}: {(int)response.StatusCode} instead of {(int)status}; body: {body}\nwhat the API node logged:\n{api.Factory.CheckFailuresLogged()}");
        if (status == Unauthorized)
        {
            Assert.NotEmpty(response.Headers.WwwAuthenticate); // RFC 9110 §15.5.2: a 401 names its challenge
        }

        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // no stack trace
        Assert.Empty((await TableContents.TakeAsync(api.Silos.ConnectionString)).ChangedSince(tablesBefore));
    }

    [Fact]
    public void Table_HasAtLeastThirtyCases() => Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");

    [Fact]
    public async Task MissingJti_IsRejectedWithItsOwnDescription()
    {
        using var response = await api.SendAsync(ApiNode.Get("/me", api.Tokens.Mint(overrides: new Dictionary<string, object?> { ["jti"] = null })));

        Assert.Contains("error_description=\"The token has no jti claim\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("iat", "The token has no iat claim")]
    [InlineData("future-iat", "The token's iat claim is in the future")]
    public async Task IssuedAtProblems_AreRejectedWithTheirOwnDescription(string kind, string description)
    {
        var overrides = new Dictionary<string, object?> { ["iat"] = kind == "iat" ? null : Ahead(10) };

        using var response = await api.SendAsync(ApiNode.Get("/me", api.Tokens.Mint(overrides: overrides)));

        Assert.Equal(Unauthorized, response.StatusCode);
        Assert.Contains($"error_description=\"{description}\"", response.Headers.WwwAuthenticate.ToString());
    }

    private static HttpRequestMessage Raw(string path, string authorization) => WithAuthorization(ApiNode.Get(path), authorization);

    private static HttpRequestMessage WithAuthorization(HttpRequestMessage request, string authorization)
    {
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private static HttpRequestMessage Json(string path, string? token, string json) =>
        ApiNode.Post(path, token, new StringContent(json, new MediaTypeHeaderValue("application/json")));

    private static string B64(string text) => Base64UrlEncoder.Encode(text);

    /// <summary>Changes the payload (sub) and keeps the old signature.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"sub\":\"alice\"", "\"sub\":\"admin\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
