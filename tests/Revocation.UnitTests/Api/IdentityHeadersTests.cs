using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Revocation.Api.Gateway;

namespace Revocation.UnitTests.Api;

/// <summary>
/// Which claims become forward-auth identity headers, read from payloads as written (no signature:
/// the bearer scheme validated the token before these rules run; <see cref="ForwardAuthTests"/>).
/// Payloads the JWT library cannot read at all (a <c>sub</c> that is an array or a boolean, nesting
/// deeper than 64) never get this far: the bearer scheme answers 401.
/// </summary>
public sealed class IdentityHeadersTests
{
    private static readonly ForwardAuthHeaders Names = new();

    /// <summary>Each case: payload members (raw JSON), and the four header values (null: absent) in the order sub, jti, scope, client.</summary>
    public static TheoryData<string, string?, string?, string?, string?> Payloads => new()
    {
        { "\"sub\":\"alice\",\"jti\":\"j1\",\"scope\":\"a b\",\"client_id\":\"c\"", "alice", "j1", "a b", "c" },
        { "\"sub\":\"alice\",\"sub\":\"alice\"", null, null, null, null },
        { "\"sub\":\"alice\",\"sub\":\"mallory\"", null, null, null, null },
        { "\"sub\":null", null, null, null, null },
        { "\"sub\":\"al\\u0000ice\"", null, null, null, null },
        { "\"sub\":\"al\\u007fice\"", null, null, null, null },
        { "\"sub\":\"alice \"", null, null, null, null },
        { "\"sub\":\"a b~!\"", "a b~!", null, null, null },
        { "\"scope\":\"a  b\",\"scp\":[\"b\",\"c\"]", null, null, "a b c", null },
        { "\"scope\":[\"a\",[\"b\"]]", null, null, null, null },
        { "\"scope\":\"a\",\"scp\":7", null, null, null, null },
        { "\"scope\":\"   \"", null, null, null, null },
        { "\"scope\":[]", null, null, null, null },
        { "\"azp\":\"web\"", null, null, null, "web" },
        { "\"client_id\":\"api\",\"azp\":\"web\"", null, null, null, "api" },
        { "\"client_id\":42,\"azp\":\"web\"", null, null, null, null },
        { "\"x\":" + new string('[', 50) + new string(']', 50) + ",\"sub\":\"deep\"", "deep", null, null, null },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Of_ForwardsOnlyOneStringOfPrintableAsciiPerClaim(string members, string? sub, string? jti, string? scope, string? client)
    {
        var token = new JsonWebToken($"{Base64UrlEncoder.Encode("{\"alg\":\"none\"}")}.{Base64UrlEncoder.Encode("{" + members + "}")}.");

        var headers = IdentityHeaders.Of(token, Names);

        Assert.Equal([sub, jti, scope, client], headers.Select(h => h.Value));
        Assert.Equal([Names.Subject, Names.Jti, Names.Scope, Names.ClientId], headers.Select(h => h.Name));
    }

    [Fact]
    public void Of_ALongValue_IsLeftOutAndMarkedSo()
    {
        var value = new string('s', IdentityHeaders.MaxValueLength + 1);
        var token = new JsonWebToken($"{Base64UrlEncoder.Encode("{\"alg\":\"none\"}")}.{Base64UrlEncoder.Encode($"{{\"sub\":\"{value}\",\"jti\":\"{value[1..]}\"}}")}.");

        var headers = IdentityHeaders.Of(token, Names);

        Assert.Equal((null, true), (headers[0].Value, headers[0].LeftOut));
        Assert.Equal((value[1..], false), (headers[1].Value, headers[1].LeftOut));
        Assert.Equal((null, false), (headers[2].Value, headers[2].LeftOut));
    }
}
