namespace Revocation.Api.Issuing;

/// <summary>The development token issuer (<c>POST /auth/token</c>), bound from the <c>Issuer</c> section.</summary>
public sealed class IssuerOptions
{
    public const string SectionName = "Issuer";

    /// <summary>
    /// Whether <c>POST /auth/token</c> exists. Anyone who can reach it gets a token for any subject
    /// and scope, <c>admin</c> included, so it exists only in the Development environment: the
    /// default is true there, and <c>true</c> in any other environment stops the node at start
    /// (<see cref="IssuerOptionsValidator"/>). <c>false</c> turns it off in Development too.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Lifetime when a request names none. The default is 15 minutes.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest lifetime a request may ask for. The default is 24 hours.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether the issuer is on in <paramref name="environment"/>: <see cref="Enabled"/>, else Development only.</summary>
    public bool IsOn(IHostEnvironment environment) => Enabled ?? environment.IsDevelopment();
}
