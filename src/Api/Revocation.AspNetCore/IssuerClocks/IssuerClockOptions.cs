namespace Revocation.AspNetCore.IssuerClocks;

/// <summary>
/// How long this node remembers what the tokens it checked said about their issuers' clocks. Set by
/// the application (the API node binds it from <c>LogoutEverywhere:IssuerClockWindow</c>); not part
/// of the package's public settings.
/// </summary>
internal sealed class IssuerClockOptions
{
    /// <summary>The default window: 10 minutes.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A sample counts for at least half of this and at most all of it (two buckets of half the
    /// window each). The default is 10 minutes.
    /// </summary>
    public TimeSpan Window { get; set; } = DefaultWindow;
}
