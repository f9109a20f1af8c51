using System.Globalization;
using System.Net;
using System.Text;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Whatever claim values a trusted issuer signs, a request gets 401 or 200, never a 500, and no
/// response header repeats what the token says (Kestrel refuses to send control or non-ASCII
/// characters in a header, and a header is no place for attacker-chosen text anyway).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OddClaimTests(ApiNode api)
{
    /// <summary>In every odd string value, so that an echo of any of them can be found.</summary>
    private const string Marker = "ZQX";

    private static readonly string Long = Marker + new string('x', 8 * 1024);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Each case: how to mint the token, and what text of it must not come back in a header.</summary>
    private static readonly Dictionary<string, (Func<TestTokens, string> Mint, string[] Echo)> Cases = new()
    {
        // Strings no header can carry, or should
        ["iss: control character"] = (t => With(t, "iss", Marker + "\u0001issuer"), []),
        ["iss: CR LF"] = (t => With(t, "iss", Marker + "\r\nSet-Cookie: a=b"), ["Set-Cookie"]),
        ["iss: non-ASCII"] = (t => With(t, "iss", Marker + "-émetteur-🔑"), []),
        ["iss: 8 KB"] = (t => With(t, "iss", Long), []),
        ["iss: number"] = (t => With(t, "iss", 4242), ["4242"]),
        ["aud: control character"] = (t => With(t, "aud", Marker + "\u0007api"), []),
        ["aud: non-ASCII"] = (t => With(t, "aud", Marker + "-ключ"), []),
        ["aud: 8 KB"] = (t => With(t, "aud", Long), []),
        ["aud: array with ours and an odd one"] = (t => With(t, "aud", new[] { TestTokens.Audience, Marker + "\u0001" }), []),
        ["aud: array of odd ones"] = (t => With(t, "aud", new[] { Marker + "\u0002", Marker + "-é" }), []),
        ["aud: number"] = (t => With(t, "aud", 4343), ["4343"]),
        ["aud: object"] = (t => With(t, "aud", new Dictionary<string, object> { [Marker] = 1 }), []),
        ["sub: control character"] = (t => t.Mint(sub: Marker + "\u0000sub"), []),
        ["sub: non-ASCII"] = (t => t.Mint(sub: Marker + "-ユーザー"), []),
        ["sub: 8 KB"] = (t => t.Mint(sub: Long), []),
        ["sub: number"] = (t => With(t, "sub", 4444), ["4444"]),
        ["sub: object"] = (t => With(t, "sub", new Dictionary<string, object> { [Marker] = "x" }), []),
        ["jti: control character"] = (t => t.Mint(jti: Marker + "\u001b[31m"), []),
        ["jti: non-ASCII"] = (t => t.Mint(jti: Marker + "-ключ-🔑-" + Guid.NewGuid().ToString("N")), []),
        ["jti: 8 KB"] = (t => t.Mint(jti: Long), []),
        ["jti: number"] = (t => With(t, "jti", 4545), ["4545"]),
        ["jti: object"] = (t => With(t, "jti", new Dictionary<string, object> { [Marker] = 1 }), []),
        ["jti: array"] = (t => With(t, "jti", new[] { Marker + "-a", Marker + "-b" }), []),
        ["scope: control character"] = (t => t.Mint(scope: Marker + "\u0001admin"), []),
        ["scope: non-ASCII"] = (t => t.Mint(scope: Marker + " lesen schreiben ü"), []),
        ["scope: 8 KB"] = (t => t.Mint(scope: Long), []),
        ["scope: array"] = (t => With(t, "scope", new[] { "admin", Marker }), []),
        // Numbers of the wrong type or range
        ["iat: string"] = (t => With(t, "iat", Marker + Now.ToString(CultureInfo.InvariantCulture)), []),
        ["iat: float"] = (t => With(t, "iat", Now + 0.5), [(Now + 0.5).ToString(CultureInfo.InvariantCulture)[..8]]),
        ["iat: 1e30"] = (t => With(t, "iat", 1e30), ["E+30", "1000000000000000"]),
        ["iat: long.MaxValue"] = (t => With(t, "iat", long.MaxValue), ["9223372036854775807"]),
        ["iat: negative"] = (t => With(t, "iat", -4646L), ["4646"]),
        ["exp: string"] = (t => With(t, "exp", (Now + 900).ToString(CultureInfo.InvariantCulture)), []),
        ["exp: float"] = (t => With(t, "exp", Now + 900.5), []),
        ["exp: 1e30"] = (t => With(t, "exp", 1e30), ["E+30", "1000000000000000"]),
        ["exp: long.MaxValue"] = (t => With(t, "exp", long.MaxValue), ["9223372036854775807"]),
        ["exp: negative"] = (t => With(t, "exp", -4747L), ["4747", "1969"]),
        ["nbf: string"] = (t => With(t, "nbf", Marker), []),
        ["nbf: far future"] = (t => With(t, "nbf", 253402300000L), ["253402300000", "9999"]),
        // Shapes only a hand-written payload has
        ["duplicate jti"] = (t => t.MintRaw(Payload($"\"jti\":\"{Marker}-1\",\"jti\":\"{Marker}-2\"")), []),
        ["duplicate iss, the last one odd"] = (t => t.MintRaw(Payload($"\"iss\":\"{TestTokens.Issuer}\",\"iss\":\"{Marker}\\u0001\"")), []),
        ["duplicate exp"] = (t => t.MintRaw(Payload($"\"exp\":{Now + 900},\"exp\":{Now - 900}")), []),
        ["nested objects"] = (t => t.MintRaw(Payload($"\"{Marker}\":{Nested(20)}")), []),
        ["nesting deeper than JSON readers allow"] = (t => t.MintRaw(Payload($"\"{Marker}\":{Nested(200)}")), []),
        ["odd bytes in a claim name"] = (t => t.MintRaw(Payload($"\"{Marker}\\u0000\\u00e9\":1")), []),
        ["1 000 claims"] = (t => t.MintRaw(Payload(string.Join(',', Enumerable.Range(0, 1000).Select(i => $"\"{Marker}{i}\":{i}")))), []),
        ["18 KB payload"] = (t => With(t, Marker, new string('p', 18 * 1024)), []),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    private static string With(TestTokens tokens, string claim, object value) =>
        tokens.Mint(overrides: new Dictionary<string, object?> { [claim] = value });

    /// <summary>The usual claims, then <paramref name="members"/> (raw JSON members).</summary>
    private static string Payload(string members)
    {
        var now = Now;
        return $"{{\"iss\":\"{TestTokens.Issuer}\",\"aud\":\"{TestTokens.Audience}\",\"sub\":\"alice\",\"jti\":\"{Guid.NewGuid():N}\"," +
            $"\"iat\":{now},\"nbf\":{now},\"exp\":{now + 900},{members}}}";
    }

    private static string Nested(int depth) =>
        new StringBuilder().Insert(0, "{\"a\":", depth).Append('1').Append('}', depth).ToString();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task OddClaim_Gets401Or200_AndNoHeaderEchoesIt(string name)
    {
        var (mint, echo) = Cases[name];
        var token = mint(api.Tokens);

        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.True(me.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"/me answered {(int)me.StatusCode}{Logged()}");
        AssertNoEcho(me, echo, identityHeaders: false);
    }

    /// <summary>
    /// The forward-auth endpoint does put claims in headers, but only one string of printable ASCII
    /// as signed (<see cref="Revocation.Api.Gateway.IdentityHeaders"/>); everything else is left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task OddClaim_ForwardAuthGets401Or200_AndHeadersCarryOnlyPrintableAscii(string name)
    {
        var (mint, echo) = Cases[name];
        var token = mint(api.Tokens);

        using var forward = await api.SendAsync(ApiNode.Get("/auth/forward", token));

        Assert.True(forward.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"/auth/forward answered {(int)forward.StatusCode}{Logged()}");
        AssertNoEcho(forward, echo, identityHeaders: true);
    }

    /// <summary>A 503 here is the registry failing a check under load, not the claim: what the node logged says which.</summary>
    private string Logged() => $"\nwhat the API node logged:\n{api.Factory.CheckFailuresLogged()}";

    /// <summary>
    /// Every header value is printable ASCII and, but for the forward-auth identity headers (<c>X-Auth-*</c>)
    /// when <paramref name="identityHeaders"/>, repeats nothing of the token.
    /// </summary>
    private static void AssertNoEcho(HttpResponseMessage response, string[] echo, bool identityHeaders)
    {
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            foreach (var value in header.Value)
            {
                Assert.True(value.All(c => c is >= ' ' and <= '~'), $"{header.Key}: {value}");
                Assert.True(value.Length <= Revocation.Api.Gateway.IdentityHeaders.MaxValueLength, $"{header.Key}: {value.Length} characters");
                if (!(identityHeaders && header.Key.StartsWith("X-Auth-", StringComparison.Ordinal)))
                {
                    Assert.DoesNotContain(Marker, value, StringComparison.Ordinal);
                    Assert.All(echo, text => Assert.DoesNotContain(text, value, StringComparison.Ordinal));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task OddClaim_IsAnsweredByIntrospectionAndRevocation_Without5xx(string name)
    {
        var token = Cases[name].Mint(api.Tokens);

        using var introspect = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));
        using var revoke = await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))));

        Assert.True(introspect.StatusCode == HttpStatusCode.OK, $"introspection answered {(int)introspect.StatusCode}: {await introspect.Content.ReadAsStringAsync()}{Logged()}");
        Assert.True(revoke.StatusCode == HttpStatusCode.OK, $"revocation answered {(int)revoke.StatusCode}: {await revoke.Content.ReadAsStringAsync()}{Logged()}");
        Assert.DoesNotContain("   at ", await introspect.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task OddClaim_LogoutAnswersWithout5xx(string name)
    {
        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout", Cases[name].Mint(api.Tokens)));

        Assert.True((int)logout.StatusCode is >= 200 and < 500, $"/auth/logout answered {(int)logout.StatusCode}{Logged()}");
    }

    [Fact]
    public void Table_CoversEveryKindOfOddValue() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");
}
