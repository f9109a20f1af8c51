namespace Revocation.Grains;

/// <summary>How session grains keep and cache session revocations, bound from the <c>SessionRevocation</c> section.</summary>
public sealed class SessionRevocationOptions : RevocationRowOptions
{
    public const string SectionName = "SessionRevocation";

    public override string Section => SectionName;

    /// <summary>
    /// How long a session's revocation is kept after it was made; then the grain forgets it and the
    /// sweeper deletes its row (after <c>Sweeper:Grace</c>). A provider mints no token for a session
    /// after it ended, so every token of the session was issued before the revocation and is accepted
    /// at most its lifetime plus <c>Jwt:ClockSkew</c> after it: set this to at least the longest
    /// access-token lifetime of any trusted issuer plus that skew. Between 1 minute and 366 days. The
    /// default is 1 day.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);
}
