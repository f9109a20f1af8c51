namespace Revocation.Grains;

/// <summary>How "log out everywhere" records its not-before, bound from the <c>SubjectRevocation</c> section.</summary>
public sealed class SubjectRevocationOptions
{
    public const string SectionName = "SubjectRevocation";

    /// <summary>
    /// How far ahead of this silo's clock a token issuer's clock may run. The not-before is taken
    /// this far in the future, so that a token minted just before the revocation by an issuer whose
    /// clock is ahead (its <c>iat</c> is later than the silo's now) is revoked too. The price: tokens
    /// issued within the margin after the revocation are revoked as well, so a subject that logs in
    /// again at once is refused for up to this long (plus the rounding to the next whole second).
    /// API nodes refuse tokens whose <c>iat</c> is further ahead than their <c>Jwt:ClockSkew</c>,
    /// so a margin equal to it closes the gap for every token they accept. At most 5 minutes; the
    /// default is 5 seconds (NTP-synchronised clocks are far closer than that).
    /// </summary>
    public TimeSpan IssuerClockMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most subject grains one silo holds: a hard memory bound that holds however many distinct
    /// subjects pass through (every check of a token with a <c>sub</c> asks its subject's grain, as
    /// it asks its jti's). Past it, the least recently used are deactivated; their next check reads
    /// the not-before from the database again. 0 switches the cap off, leaving idle collection
    /// (<c>TokenGrain:CollectionAge</c>) and Orleans' memory-pressure shedding. The default is 100 000.
    /// </summary>
    public int MaxActivationsPerSilo { get; set; } = 100_000;

    /// <summary>
    /// The not-before a revocation at <paramref name="now"/> records: <paramref name="now"/> plus
    /// the margin, rounded up to the next whole second (<c>iat</c> has one-second resolution, so
    /// a token issued in that second cannot be told apart from one issued just before it).
    /// </summary>
    public DateTimeOffset NotBeforeAt(DateTimeOffset now) =>
        DateTimeOffset.FromUnixTimeSeconds((now + IssuerClockMargin).ToUnixTimeSeconds() + 1);
}
