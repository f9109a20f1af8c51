using Revocation.Api.Oidc;

namespace Revocation.Api.Authentication;

/// <summary>
/// How bearer tokens are validated, bound from the <c>Jwt</c> section: the trusted issuers (the
/// section's own <see cref="JwtIssuerOptions"/> settings, the single issuer of before, and the entries
/// of <see cref="Issuers"/>), each with at least one key source (<c>SigningKey</c>, <c>PublicKeys</c>
/// or <c>Authority</c>), and the clock skew they share.
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>The required <c>iss</c> of the section's own issuer (the first trusted one). Required unless <see cref="Issuers"/> lists some.</summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c> of the section's own issuer; also of every entry of <see cref="Issuers"/> that sets none.</summary>
    public string? Audience { get; set; }

    /// <summary>Base64 HMAC key (HS256/384/512), at least 32 bytes; also what the development issuer signs with.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM-encoded RSA or EC public keys (RS*/PS*/ES* tokens).</summary>
    public string[] PublicKeys { get; set; } = [];

    /// <summary>An OIDC authority whose discovery document and JWKS provide the keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Whether <c>Authority</c> metadata must come over HTTPS. The default is true outside Development.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>RFC 9068: accept only <c>typ: at+jwt</c> tokens (<see cref="JwtIssuerOptions.RequireAccessTokenType"/>). The default is off.</summary>
    public bool? RequireAccessTokenType { get; set; }

    /// <summary>Back-Channel Logout from the section's own issuer (<see cref="JwtIssuerOptions.BackchannelLogout"/>). The default is off.</summary>
    public IssuerBackchannelLogoutOptions BackchannelLogout { get; set; } = new();

    /// <summary>
    /// More trusted issuers (<c>Jwt:Issuers:0:Issuer</c>, <c>…:Audience</c>, <c>…:Authority</c>, …),
    /// each verified with its own keys only. The default is none: the section's own settings are the
    /// one issuer.
    /// </summary>
    public JwtIssuerOptions[] Issuers { get; set; } = [];

    /// <summary>Tolerance for clock differences on <c>exp</c>/<c>nbf</c>, for every issuer. The default is 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the section's own settings name an issuer (or part of one): then it is the first trusted issuer.</summary>
    internal bool HasOwnIssuer =>
        !string.IsNullOrWhiteSpace(Issuer) || !string.IsNullOrWhiteSpace(SigningKey) || PublicKeys.Length > 0
        || !string.IsNullOrWhiteSpace(Authority) || Issuers.Length == 0;

    /// <summary>
    /// Every trusted issuer with the setting prefix its messages name: the section's own first (when
    /// set), then <see cref="Issuers"/> in order, the shared defaults filled in.
    /// </summary>
    internal IReadOnlyList<(string Setting, JwtIssuerOptions Issuer)> TrustedIssuers()
    {
        var trusted = new List<(string, JwtIssuerOptions)>();
        if (HasOwnIssuer)
        {
            trusted.Add((SectionName, new JwtIssuerOptions
            {
                Issuer = Issuer,
                Audience = Audience,
                SigningKey = SigningKey,
                PublicKeys = PublicKeys,
                Authority = Authority,
                RequireHttpsMetadata = RequireHttpsMetadata,
                RequireAccessTokenType = RequireAccessTokenType,
                BackchannelLogout = BackchannelLogout,
            }));
        }

        for (var i = 0; i < Issuers.Length; i++)
        {
            var entry = Issuers[i];
            trusted.Add(($"{SectionName}:{nameof(Issuers)}:{i}", new JwtIssuerOptions
            {
                Issuer = entry.Issuer,
                Audience = string.IsNullOrWhiteSpace(entry.Audience) ? Audience : entry.Audience,
                SigningKey = entry.SigningKey,
                PublicKeys = entry.PublicKeys,
                Authority = entry.Authority,
                RequireHttpsMetadata = entry.RequireHttpsMetadata ?? RequireHttpsMetadata,
                RequireAccessTokenType = entry.RequireAccessTokenType ?? RequireAccessTokenType,
                BackchannelLogout = entry.BackchannelLogout,
            }));
        }

        return trusted;
    }
}
