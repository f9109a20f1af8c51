namespace Revocation.Api.Registry;

/// <summary>
/// How this node takes the not-before of a subject-wide revocation ("log out everywhere"), bound
/// from the <c>LogoutEverywhere</c> section. The not-before is an instant on the issuer's clock:
/// this node's now, plus how far the issuer's clock runs ahead of this node's as learnt from the
/// tokens it checked (the largest <c>iat</c> minus arrival of <see cref="IssuerClockWindow"/>), plus
/// <see cref="IssuerClockMargin"/>; the call returns no earlier than <see cref="IssuerClockMargin"/>
/// after that now. Then every token issued before the call is refused, and every token issued a
/// second or more after it returned is accepted.
/// </summary>
public sealed class LogoutEverywhereOptions
{
    public const string SectionName = "LogoutEverywhere";

    /// <summary>The default <see cref="IssuerClockMargin"/>: 1.5 seconds.</summary>
    public static readonly TimeSpan DefaultIssuerClockMargin = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// What the learnt clock offset may fall short of the issuer's true offset by. The freshest
    /// sample falls short by where in its issuer's second its token was minted (<c>iat</c> is
    /// floored: under 1 s) plus how long the token took to reach this node (milliseconds for a
    /// client that uses a token at once, as after a sign-in): 1.5 s covers a full second and half a
    /// second of delivery. Every subject-wide revocation returns no earlier than this after it began
    /// (that wait is what lets a token issued a second after the return through); a larger value
    /// covers slower first uses at the price of a slower "log out everywhere". Between 0 and
    /// 10 seconds. The default is 1.5 seconds.
    /// </summary>
    public TimeSpan IssuerClockMargin { get; set; } = DefaultIssuerClockMargin;

    /// <summary>
    /// How long a sample of an issuer's clock offset counts (at least half of this, at most all of
    /// it). Longer keeps an estimate for issuers whose tokens reach this node rarely; shorter follows
    /// an issuer's clock correction sooner (until then a sign-in right after a logout may be refused
    /// for up to the correction). With no sample of an issuer within it, its clock is assumed to run
    /// the full <c>Jwt:ClockSkew</c> ahead. Between 1 minute and 1 hour. The default is 10 minutes.
    /// </summary>
    public TimeSpan IssuerClockWindow { get; set; } = TimeSpan.FromMinutes(10);
}
