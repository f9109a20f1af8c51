namespace Revocation.Api.Authentication;

/// <summary>
/// How bearer tokens are validated, bound from the <c>Jwt</c> section. At least one key source
/// is required: <see cref="SigningKey"/>, <see cref="PublicKeys"/> or <see cref="Authority"/>.
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>The required <c>iss</c>. Required.</summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c>. Required.</summary>
    public string? Audience { get; set; }

    /// <summary>Base64 HMAC key (HS256/384/512), at least 32 bytes; also what the development issuer signs with.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM-encoded RSA or EC public keys (RS*/PS*/ES* tokens).</summary>
    public string[] PublicKeys { get; set; } = [];

    /// <summary>An OIDC authority whose discovery document and JWKS provide the keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Whether <see cref="Authority"/> metadata must come over HTTPS. The default is true outside Development.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Tolerance for clock differences on <c>exp</c>/<c>nbf</c>. The default is 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
