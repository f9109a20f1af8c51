namespace Revocation.Api.Issuing;

/// <summary>The development token issuer (<c>POST /auth/token</c>), bound from the <c>Issuer</c> section.</summary>
public sealed class IssuerOptions
{
    public const string SectionName = "Issuer";

    /// <summary>
    /// Whether <c>POST /auth/token</c> exists. Anyone who can reach it gets a token for any subject,
    /// so the default is true only in the Development environment.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Lifetime when a request names none. The default is 15 minutes.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest lifetime a request may ask for. The default is 24 hours.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);
}
