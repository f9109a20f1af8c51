namespace Revocation.Abstractions;

/// <summary>What a revocation changed, as the registry tells API nodes with a lease.</summary>
/// <param name="Kind">A token (by jti), a subject (every token issued before <paramref name="Instant"/>) or a session (every token carrying its sid).</param>
/// <param name="Key">The jti, the subject or the session id, unique only within <paramref name="Issuer"/>.</param>
/// <param name="Instant">
/// For a token: until when it is revoked (its <c>exp</c> plus the clock skew). For a subject: its
/// new not-before. For a session: until when its revocation is kept (no token of it is accepted later).
/// </param>
/// <param name="Issuer">The issuer (<c>iss</c>) of the token or subject: a node changes only that issuer's entry.</param>
[GenerateSerializer, Immutable, Alias("Revocation.RevocationNotice")]
public sealed record RevocationNotice(
    [property: Id(0)] RevocationNoticeKind Kind,
    [property: Id(1)] string Key,
    [property: Id(2)] DateTimeOffset Instant,
    [property: Id(3)] string Issuer)
{
    /// <summary>The issuer and the key together, as the near cache holds them.</summary>
    public IssuerKey ScopedKey => new(Issuer, Key);

    /// <summary>The token <paramref name="jti"/> of <paramref name="issuer"/> is revoked until <paramref name="until"/>.</summary>
    public static RevocationNotice Token(string issuer, string jti, DateTimeOffset until) => new(RevocationNoticeKind.Token, jti, until, issuer);

    /// <summary>Every token of <paramref name="subject"/> of <paramref name="issuer"/> issued before <paramref name="notBefore"/> is revoked.</summary>
    public static RevocationNotice Subject(string issuer, string subject, DateTimeOffset notBefore) => new(RevocationNoticeKind.Subject, subject, notBefore, issuer);

    /// <summary>Every token carrying the session <paramref name="sid"/> of <paramref name="issuer"/> is revoked; kept until <paramref name="until"/>.</summary>
    public static RevocationNotice Session(string issuer, string sid, DateTimeOffset until) => new(RevocationNoticeKind.Session, sid, until, issuer);
}

/// <summary>What a <see cref="RevocationNotice"/> is about.</summary>
[GenerateSerializer, Alias("Revocation.RevocationNoticeKind")]
public enum RevocationNoticeKind
{
    /// <summary>One token, by jti.</summary>
    Token,

    /// <summary>Every token of one subject issued before an instant.</summary>
    Subject,

    /// <summary>Every token of one session (<c>sid</c>).</summary>
    Session,
}
