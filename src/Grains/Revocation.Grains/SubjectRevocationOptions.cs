namespace Revocation.Grains;

/// <summary>How subject grains hold and accept not-befores, bound from the <c>SubjectRevocation</c> section.</summary>
public sealed class SubjectRevocationOptions
{
    public const string SectionName = "SubjectRevocation";

    /// <summary>
    /// How far from this silo's clock, either way, a not-before may lie. API nodes take it on the
    /// token issuer's clock (their now plus the issuer's offset, at most their <c>Jwt:ClockSkew</c>,
    /// at most 5 minutes), so a not-before further out says a clock is broken: one far ahead would
    /// lock the subject out until then, one far behind would revoke too little. Keep it above the API
    /// nodes' <c>Jwt:ClockSkew</c> plus the largest clock difference between an API node and a silo.
    /// Between 1 second and 1 hour. The default is 10 minutes.
    /// </summary>
    public TimeSpan MaxIssuerClockOffset { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The oldest a subject grain's not-before may be before the grain reads it from storage again,
    /// which bounds how long a rare duplicate activation (during a membership change) can miss a
    /// "log out everywhere" made through the other one. Concurrent checks share one read; a value
    /// read never moves the not-before back. <see cref="TimeSpan.Zero"/> reads it on every check.
    /// The default is 10 minutes (as <c>TokenGrain:NotRevokedMaxAge</c>).
    /// </summary>
    public TimeSpan NotBeforeMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most subject grains one silo holds: a hard memory bound that holds however many distinct
    /// subjects pass through (every check of a token with a <c>sub</c> asks its subject's grain, as
    /// it asks its jti's). Past it, the least recently used are deactivated; their next check reads
    /// the not-before from the database again. 0 switches the cap off, leaving idle collection
    /// (<see cref="CollectionAge"/>) and Orleans' memory-pressure shedding. The default is 100 000.
    /// </summary>
    public int MaxActivationsPerSilo { get; set; } = 100_000;

    /// <summary>
    /// An idle subject grain is collected after this: how long a subject's not-before stays in silo
    /// memory after its last check (the next check reads it from the database again). At least 1
    /// minute. The default is 5 minutes (as <c>TokenGrain:CollectionAge</c>).
    /// </summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Why <paramref name="notBefore"/> is refused at <paramref name="now"/> (this silo's clock):
    /// further than <see cref="MaxIssuerClockOffset"/> from it; <c>null</c> when accepted.
    /// </summary>
    public string? CheckNotBefore(DateTimeOffset notBefore, DateTimeOffset now)
    {
        var offset = notBefore - now;
        return offset.Duration() <= MaxIssuerClockOffset
            ? null
            : $"notBefore {notBefore:o} is {offset} from this silo's clock ({now:o}); at most {SectionName}:{nameof(MaxIssuerClockOffset)} ({MaxIssuerClockOffset}) either way is accepted.";
    }
}
