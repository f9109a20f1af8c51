namespace Revocation.Abstractions;

/// <summary>What a revocation changed, as the registry tells API nodes with a lease.</summary>
/// <param name="Kind">A token (by jti) or a subject (every token issued before <paramref name="Instant"/>).</param>
/// <param name="Key">The jti or the subject.</param>
/// <param name="Instant">
/// For a token: until when it is revoked (its <c>exp</c> plus the clock skew). For a subject: its
/// new not-before.
/// </param>
[GenerateSerializer, Immutable, Alias("Revocation.RevocationNotice")]
public sealed record RevocationNotice(
    [property: Id(0)] RevocationNoticeKind Kind,
    [property: Id(1)] string Key,
    [property: Id(2)] DateTimeOffset Instant)
{
    /// <summary>The token <paramref name="jti"/> is revoked until <paramref name="until"/>.</summary>
    public static RevocationNotice Token(string jti, DateTimeOffset until) => new(RevocationNoticeKind.Token, jti, until);

    /// <summary>Every token of <paramref name="subject"/> issued before <paramref name="notBefore"/> is revoked.</summary>
    public static RevocationNotice Subject(string subject, DateTimeOffset notBefore) => new(RevocationNoticeKind.Subject, subject, notBefore);
}

/// <summary>What a <see cref="RevocationNotice"/> is about.</summary>
[GenerateSerializer, Alias("Revocation.RevocationNoticeKind")]
public enum RevocationNoticeKind
{
    /// <summary>One token, by jti.</summary>
    Token,

    /// <summary>Every token of one subject issued before an instant.</summary>
    Subject,
}
