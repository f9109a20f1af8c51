using Microsoft.IdentityModel.JsonWebTokens;

namespace Revocation.Api.Authentication;

/// <summary>
/// Which JWTs of a trusted issuer may pass for access tokens. RFC 9068 types access tokens
/// <c>at+jwt</c>; an issuer signs other JWTs with the same keys — ID tokens, back-channel logout
/// tokens (<c>logout+jwt</c>, OpenID Connect Back-Channel Logout 1.0 §2.4), Security Event Tokens
/// (<c>secevent+jwt</c>, RFC 8417) — and none of them may open an API.
/// </summary>
internal static class AccessTokenType
{
    /// <summary>RFC 9068 §2.1's media type, in the short form a <c>typ</c> header carries.</summary>
    public const string AccessToken = "at+jwt";

    private static readonly string[] NeverAccessTokens = ["logout+jwt", "secevent+jwt", "id_token+jwt"];

    /// <summary>
    /// Why <paramref name="token"/> is not an access token whatever the settings; <c>null</c> when it
    /// may be one. Refused: a <c>typ</c> of a logout token, a SET or an ID token; an <c>events</c> claim
    /// (logout tokens and SETs carry one, access tokens never); an ID token's hash claims
    /// (<c>at_hash</c>, <c>c_hash</c>); Keycloak's own <c>typ</c> claim <c>ID</c> or <c>Logout</c>.
    /// </summary>
    public static string? NotAnAccessToken(string? type, JsonWebToken token)
    {
        var normalized = Normalize(type);
        if (NeverAccessTokens.Contains(normalized, StringComparer.OrdinalIgnoreCase))
        {
            return $"a '{type}' token is not an access token";
        }

        if (token.TryGetPayloadValue<object>("events", out _))
        {
            return "a token with an events claim (a logout token or a security event token) is not an access token";
        }

        if (token.TryGetPayloadValue<object>("at_hash", out _) || token.TryGetPayloadValue<object>("c_hash", out _))
        {
            return "a token with at_hash or c_hash (an ID token) is not an access token";
        }

        if (token.TryGetPayloadValue<string>("typ", out var claimType) && claimType is "ID" or "Logout")
        {
            return $"a token whose typ claim is '{claimType}' is not an access token";
        }

        return null;
    }

    /// <summary>Whether a <c>typ</c> header says RFC 9068 access token (<c>at+jwt</c> or <c>application/at+jwt</c>).</summary>
    public static bool IsAccessTokenType(string? type) => string.Equals(Normalize(type), AccessToken, StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 7515 §4.1.9: <c>application/</c> may be left out of a media type.</summary>
    private static string Normalize(string? type) =>
        type is not null && type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type ?? "";
}
