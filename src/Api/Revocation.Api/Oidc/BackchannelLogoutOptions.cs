namespace Revocation.Api.Oidc;

/// <summary>
/// The Back-Channel Logout receiver (<c>POST /oidc/backchannel-logout</c>), bound from the
/// <c>BackchannelLogout</c> section. Which issuers may send logout tokens, and under which client id,
/// is set per issuer (<see cref="IssuerBackchannelLogoutOptions"/>).
/// </summary>
public sealed class BackchannelLogoutOptions
{
    public const string SectionName = "BackchannelLogout";

    /// <summary>
    /// How old a logout token may be: its <c>iat</c> must be no earlier than this (plus <c>Jwt:ClockSkew</c>)
    /// before now, and no later than <c>Jwt:ClockSkew</c> after it. A logout token's <c>jti</c> is
    /// remembered as long as the token could be accepted, so this also bounds that record's life.
    /// Between 10 seconds and 10 minutes (a subject's not-before may lie at most
    /// <c>SubjectRevocation:MaxIssuerClockOffset</c>, 10 minutes, from the silo's clock). The default is 5 minutes.
    /// </summary>
    public TimeSpan MaxTokenAge { get; set; } = TimeSpan.FromMinutes(5);
}
