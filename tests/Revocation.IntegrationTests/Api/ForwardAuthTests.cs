using System.Net;
using Revocation.Api.Gateway;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// <c>/auth/forward</c>, the endpoint gateways ask (nginx <c>auth_request</c>, Caddy
/// <c>forward_auth</c>, Traefik, Envoy's HTTP <c>ext_authz</c>): 200 with the token's identity in
/// headers, or exactly the 401 the node's own bearer scheme answers for the same token. The 503
/// under FailClosed: <see cref="RegistryDownTests"/>; odd claims: <see cref="OddClaimTests"/>;
/// through real nginx and Caddy: <c>EndToEnd/GatewayProcessTests</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ForwardAuthTests(ApiNode api)
{
    private static readonly string[] IdentityHeaderNames = ["X-Auth-Subject", "X-Auth-Jti", "X-Auth-Scope", "X-Auth-Client-Id"];
    private static readonly string[] ConfiguredNames = ["X-User", "X-Token-Id", "X-Scopes", "X-Client"];
    private static readonly string[] TwoSubjects = ["alice", "bob"];
    private static readonly string[] ScopeArray = ["read", "write"];

    [Fact]
    public async Task Forward_AcceptedToken_Answers200WithIdentityHeaders()
    {
        var token = api.Tokens.Mint(sub: "alice@example.org", scope: "orders:read orders:write",
            overrides: new Dictionary<string, object?> { ["client_id"] = "orders-spa", ["azp"] = "not-this-one" });

        using var response = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice@example.org", Header(response, "X-Auth-Subject"));
        Assert.Equal(TestTokens.JtiOf(token), Header(response, "X-Auth-Jti"));
        Assert.Equal("orders:read orders:write", Header(response, "X-Auth-Scope"));
        Assert.Equal("orders-spa", Header(response, "X-Auth-Client-Id"));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Forward_AbsentClaims_HaveNoHeader_AndAzpStandsInForClientId()
    {
        var bare = api.Tokens.Mint(overrides: new Dictionary<string, object?> { ["sub"] = null });
        var withAzp = api.Tokens.Mint(overrides: new Dictionary<string, object?> { ["azp"] = "mobile-app" });

        using var bareResponse = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, bare));
        using var azpResponse = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, withAzp));

        Assert.Equal(HttpStatusCode.OK, bareResponse.StatusCode);
        Assert.Equal(["X-Auth-Jti"], IdentityHeaderNames.Where(bareResponse.Headers.Contains));
        Assert.Equal("mobile-app", Header(azpResponse, "X-Auth-Client-Id"));
        Assert.False(azpResponse.Headers.Contains("X-Auth-Scope"));
    }

    public static TheoryData<string, string> MethodsAndPaths => new()
    {
        { "GET", "/auth/forward" },
        { "GET", "/auth/forward/" },
        { "POST", "/auth/forward/orders/42?expand=items&access_token=not-read" },
        { "PUT", "/auth/forward/orders/42" },
        { "DELETE", "/auth/forward/a/b/c/d" },
        { "PATCH", "/auth/forward/orders" },
        { "HEAD", "/auth/forward/orders" },
        { "OPTIONS", "/auth/forward/orders" },
        { "PROPFIND", "/auth/forward/dav/%2e%2e/x" },
    };

    [Theory]
    [MemberData(nameof(MethodsAndPaths))]
    public async Task Forward_AnyMethodAndSubPath_AcceptsAValidTokenAndRefusesNone(string method, string path)
    {
        var token = api.Tokens.Mint(sub: "bob");

        using var accepted = await api.SendAsync(WithBody(new HttpRequestMessage(new HttpMethod(method), path), token));
        using var refused = await api.SendAsync(WithBody(new HttpRequestMessage(new HttpMethod(method), path), token: null));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("bob", Header(accepted, "X-Auth-Subject"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Forward_RevokedToken_Answers401AsTheBearerSchemeDoes()
    {
        var token = api.Tokens.Mint();
        using var before = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, token));
        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout", token));

        using var after = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path + "/orders", token));
        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has been revoked\"", after.Headers.WwwAuthenticate.ToString());
        Assert.Equal(me.Headers.WwwAuthenticate.ToString(), after.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(IdentityHeaderNames, after.Headers.Contains);
    }

    /// <summary>Each case: the Authorization header's value (null: none), and the challenge the bearer scheme sends for it.</summary>
    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "missing", "Bearer" },
        { "garbage", "Bearer error=\"invalid_token\"" },
        { "expired", "Bearer error=\"invalid_token\", error_description=\"The token has expired\"" },
        { "wrong key", "Bearer error=\"invalid_token\", error_description=\"The signature key was not found\"" },
        { "unsigned", "Bearer error=\"invalid_token\", error_description=\"The signature is invalid\"" },
        { "basic credentials", "Bearer" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Forward_MissingGarbageOrExpiredToken_Answers401WithTheBearerChallenge(string kind, string challenge)
    {
        using var other = new TestTokens();
        HttpRequestMessage Request(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            var authorization = kind switch
            {
                "missing" => null,
                "garbage" => "Bearer not.a.jwt",
                "expired" => "Bearer " + api.Tokens.Mint(overrides: new Dictionary<string, object?>
                {
                    ["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
                    ["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
                    ["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
                }),
                "wrong key" => "Bearer " + other.Mint(),
                "unsigned" => "Bearer " + api.Tokens.MintUnsigned(),
                _ => "Basic YWxpY2U6c2VjcmV0",
            };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            return request;
        }

        using var forward = await api.SendAsync(Request(ForwardAuthApi.Path));
        using var me = await api.SendAsync(Request("/me"));

        Assert.Equal(HttpStatusCode.Unauthorized, forward.StatusCode);
        Assert.Equal(challenge, forward.Headers.WwwAuthenticate.ToString());
        Assert.Equal(me.Headers.WwwAuthenticate.ToString(), forward.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(IdentityHeaderNames, forward.Headers.Contains);
    }

    /// <summary>
    /// Each case: a claim's JSON value that a header cannot carry as it is, the header that must then
    /// be absent, and whether the token is accepted at all (the revocation check itself refuses a
    /// <c>sub</c> that breaks the registry's input rules: control characters, over 256 characters, not a string).
    /// </summary>
    public static TheoryData<string, object, string, bool> HostileClaims => new()
    {
        { "sub", "alice\r\nX-Injected: 1", "X-Auth-Subject", false },
        { "sub", "alice\u0000", "X-Auth-Subject", false },
        { "sub", new string('a', 300), "X-Auth-Subject", false },
        { "sub", 4444, "X-Auth-Subject", true },
        { "sub", new Dictionary<string, object> { ["name"] = "alice" }, "X-Auth-Subject", false },
        { "sub", TwoSubjects, "X-Auth-Subject", false },
        { "sub", "ユーザー", "X-Auth-Subject", true },
        { "sub", " alice", "X-Auth-Subject", true },
        { "scope", "read\r\nX-Injected: 1", "X-Auth-Scope", true },
        { "scope", "read\u007f", "X-Auth-Scope", true },
        { "scope", string.Join(' ', Enumerable.Range(0, 200).Select(i => $"scope{i}")), "X-Auth-Scope", true },
        { "scope", new object[] { "read", 7 }, "X-Auth-Scope", true },
        { "client_id", "app\r\nX-Injected: 1", "X-Auth-Client-Id", true },
        { "client_id", "app\nX-Injected: 1", "X-Auth-Client-Id", true },
        { "client_id", "клиент", "X-Auth-Client-Id", true },
        { "client_id", 42, "X-Auth-Client-Id", true },
        { "client_id", TwoSubjects, "X-Auth-Client-Id", true },
    };

    [Theory]
    [MemberData(nameof(HostileClaims))]
    public async Task Forward_ClaimAHeaderCannotCarry_IsLeftOut_AndTheRestStillForwarded(string claim, object value, string header, bool accepted)
    {
        var token = api.Tokens.Mint(sub: "carol", scope: "read", overrides: new Dictionary<string, object?> { [claim] = value, ["client_id"] = claim == "client_id" ? value : "app" });

        using var response = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, token));

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(header), $"{header}: {Header(response, header)}");
        Assert.False(response.Headers.Contains("X-Injected"));
        Assert.All(response.Headers.SelectMany(h => h.Value), v => Assert.True(v.All(c => c is >= ' ' and <= '~'), v));
        if (accepted)
        {
            Assert.Equal(TestTokens.JtiOf(token), Header(response, "X-Auth-Jti"));
            Assert.Contains(api.Factory.Logs.Lines, line => line.Contains($"{claim} claim was not forwarded in {header}", StringComparison.Ordinal));
        }

        TokenLeaks.AssertNone(api.Tokens.Minted, api.Factory.Logs.Lines.Select(line => ("api log", line)));
        Assert.DoesNotContain(api.Factory.Logs.Lines, line => line.Contains("X-Injected", StringComparison.Ordinal) || line.Contains("ユーザー", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forward_ScopeAsAnArrayOrScp_IsForwardedSpaceSeparated()
    {
        var array = api.Tokens.Mint(overrides: new Dictionary<string, object?> { ["scope"] = ScopeArray });
        var scp = api.Tokens.Mint(overrides: new Dictionary<string, object?> { ["scp"] = "read admin" });

        using var arrayResponse = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, array));
        using var scpResponse = await api.SendAsync(ApiNode.Get(ForwardAuthApi.Path, scp));

        Assert.Equal("read write", Header(arrayResponse, "X-Auth-Scope"));
        Assert.Equal("read admin", Header(scpResponse, "X-Auth-Scope"));
    }

    [Fact]
    public async Task Forward_ConfiguredHeaderNames_AreUsedInsteadOfTheDefaults()
    {
        await using var node = new ApiFactory(api.Silos, api.Tokens, new Dictionary<string, string?>
        {
            ["ForwardAuth:Headers:Subject"] = "X-User",
            ["ForwardAuth:Headers:Jti"] = "X-Token-Id",
            ["ForwardAuth:Headers:Scope"] = "X-Scopes",
            ["ForwardAuth:Headers:ClientId"] = "X-Client",
        });
        using var http = node.CreateClient();
        var token = api.Tokens.Mint(sub: "dave", scope: "read", overrides: new Dictionary<string, object?> { ["client_id"] = "cli" });

        using var request = ApiNode.Get(ForwardAuthApi.Path, token);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["dave", TestTokens.JtiOf(token), "read", "cli"], ConfiguredNames.Select(h => Header(response, h)));
        Assert.DoesNotContain(IdentityHeaderNames, response.Headers.Contains);
    }

    [Theory]
    [InlineData("Subject", "X User", "ForwardAuth:Headers:Subject must be an HTTP header name")]
    [InlineData("Jti", "", "ForwardAuth:Headers:Jti must be an HTTP header name")]
    [InlineData("Scope", "X-Auth\r\nSet-Cookie", "ForwardAuth:Headers:Scope must be an HTTP header name")]
    [InlineData("ClientId", "www-authenticate", "ForwardAuth:Headers:ClientId names www-authenticate")]
    [InlineData("Scope", "x-auth-subject", "ForwardAuth:Headers:Scope and ForwardAuth:Headers:Subject both name x-auth-subject")]
    public void Forward_InvalidHeaderName_StopsTheStartNamingTheSetting(string setting, string value, string message)
    {
        using var node = new ApiFactory(api.Silos, api.Tokens, new Dictionary<string, string?> { [$"ForwardAuth:Headers:{setting}"] = value });

        var error = Assert.ThrowsAny<Exception>(() => node.CreateClient());

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>
    /// A request as a gateway may send it: a body (the endpoint never reads it) except where the method
    /// has none. nginx, Caddy and Traefik send no body; Envoy only with <c>with_request_body</c>, whose
    /// bound should stay under the node's 64 KiB request limit: a larger body is not drained, and the
    /// node closes the connection after its answer.
    /// </summary>
    private static HttpRequestMessage WithBody(HttpRequestMessage request, string? token)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            request.Content = new ByteArrayContent(new byte[16 * 1024]);
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        return request;
    }
}
