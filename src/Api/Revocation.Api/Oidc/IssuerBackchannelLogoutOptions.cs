namespace Revocation.Api.Oidc;

/// <summary>
/// One trusted issuer's OpenID Connect Back-Channel Logout settings (<c>Jwt:Issuers:N:BackchannelLogout</c>,
/// or <c>Jwt:BackchannelLogout</c> for the section's own issuer). Setting <see cref="ClientId"/> turns
/// the receiver on for the issuer.
/// </summary>
public sealed class IssuerBackchannelLogoutOptions
{
    /// <summary>
    /// The client id this registry is registered under at the provider: a logout token's <c>aud</c>
    /// must contain it. The default is none: the issuer's logout tokens are refused.
    /// </summary>
    public string? ClientId { get; set; }
}
