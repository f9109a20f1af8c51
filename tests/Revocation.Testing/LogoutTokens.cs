using Microsoft.IdentityModel.Tokens;
using Revocation.Api.Oidc;

namespace Revocation.Testing;

/// <summary>Back-channel logout tokens of the tests' issuer, signed with its RSA key (kept in <see cref="TestTokens.Minted"/> for the log scans).</summary>
public sealed class LogoutTokens(TestTokens tokens, string clientId)
{
    /// <summary>
    /// A valid logout token for <paramref name="sub"/> (and <paramref name="sid"/> if given), issued
    /// at <paramref name="issuedAt"/> (now), typed <c>logout+jwt</c>; each claim can be overridden or
    /// removed (value <c>null</c>).
    /// </summary>
    public string Mint(
        string? sub = "alice",
        string? sid = null,
        DateTimeOffset? issuedAt = null,
        IDictionary<string, object?>? overrides = null,
        string? type = "logout+jwt",
        SigningCredentials? credentials = null)
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = TestTokens.Issuer,
            ["aud"] = clientId,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["exp"] = iat.AddMinutes(2).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["events"] = new Dictionary<string, object> { [LogoutTokenValidator.BackchannelLogoutEvent] = new Dictionary<string, object>() },
            ["sub"] = sub,
            ["sid"] = sid,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, object?>())
        {
            claims[key] = value;
        }

        // TestTokens.Mint adds the access-token claims; a logout token is its own shape.
        return tokens.Mint(credentials ?? tokens.Rs256, Without(claims), type: type);
    }

    /// <summary>The access-token claims <see cref="TestTokens.Mint"/> would add, removed unless set here.</summary>
    private static Dictionary<string, object?> Without(Dictionary<string, object?> claims)
    {
        foreach (var name in new[] { "nbf", "scope" })
        {
            claims.TryAdd(name, null);
        }

        return claims;
    }
}
