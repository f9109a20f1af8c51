using Revocation.Api.Oidc;

namespace Revocation.Api.Authentication;

/// <summary>
/// One trusted token issuer: an entry of <c>Jwt:Issuers</c>, or the <c>Jwt</c> section's own
/// settings (the single issuer of before, which stays the first of the list). Each issuer's tokens
/// are verified only with its own keys, for its own audience.
/// </summary>
public sealed class JwtIssuerOptions
{
    /// <summary>The required <c>iss</c>: a token carrying it is verified with this entry's keys. Required.</summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c>. Required; an entry of <c>Jwt:Issuers</c> without one takes <c>Jwt:Audience</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>Base64 HMAC key (HS256/384/512), at least 32 bytes.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM-encoded RSA or EC public keys (RS*/PS*/ES* tokens).</summary>
    public string[] PublicKeys { get; set; } = [];

    /// <summary>An OIDC authority whose discovery document and JWKS provide the keys.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Whether <see cref="Authority"/> metadata must come over HTTPS. The default is true outside
    /// Development; an entry of <c>Jwt:Issuers</c> without it takes <c>Jwt:RequireHttpsMetadata</c>.
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>
    /// RFC 9068: accept only tokens whose header says <c>typ: at+jwt</c> (or <c>application/at+jwt</c>),
    /// so that no other JWT of the issuer — an ID token above all — passes for an access token. Set it
    /// for every issuer that types its access tokens (Duende IdentityServer, panva's oidc-provider,
    /// Auth0 and Okta with RFC 9068 profiles). The default is off; an entry of <c>Jwt:Issuers</c>
    /// without it takes <c>Jwt:RequireAccessTokenType</c>. Logout tokens, Security Event Tokens and
    /// ID tokens recognisable as such are refused either way.
    /// </summary>
    public bool? RequireAccessTokenType { get; set; }

    /// <summary>
    /// OpenID Connect Back-Channel Logout from this issuer (<c>…:BackchannelLogout:ClientId</c>): the
    /// default is off (its logout tokens are refused).
    /// </summary>
    public IssuerBackchannelLogoutOptions BackchannelLogout { get; set; } = new();
}
