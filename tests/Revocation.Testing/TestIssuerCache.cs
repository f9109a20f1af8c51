using Revocation.AspNetCore.NearCache;

namespace Revocation.Testing;

/// <summary>The near cache keyed by bare jtis and subjects: those of the tests' own issuer (<see cref="TestKeys"/>).</summary>
internal static class TestIssuerCache
{
    public static AnswerKind? Token(this NearCacheState cache, string jti, long now, bool leased) =>
        cache.Token(TestKeys.Scoped(jti), now, leased);

    public static bool TrySubject(this NearCacheState cache, string subject, long now, bool leased, out DateTimeOffset? notBefore) =>
        cache.TrySubject(TestKeys.Scoped(subject), now, leased, out notBefore);

    public static FillTicket BeginFill(this NearCacheState cache, string? jti, string? subject) =>
        cache.BeginFill(jti is null ? null : TestKeys.Scoped(jti), subject is null ? null : TestKeys.Scoped(subject));

    public static void FillToken(this NearCacheState cache, FillTicket ticket, string jti, bool revoked, long expiresAt) =>
        cache.FillToken(ticket, TestKeys.Scoped(jti), revoked, expiresAt);

    public static void FillSubject(this NearCacheState cache, FillTicket ticket, string subject, DateTimeOffset? notBefore, long expiresAt) =>
        cache.FillSubject(ticket, TestKeys.Scoped(subject), notBefore, expiresAt);
}
