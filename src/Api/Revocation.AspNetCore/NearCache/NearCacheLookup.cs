using Revocation.Abstractions;
using Revocation.AspNetCore.Lookups;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// The <see cref="RevocationCheckMode.Grain"/> mode with the near cache: answered from this node's
/// memory when it can be (no allocation, no network), otherwise only the unknown part (the token, the
/// subject or both) is asked of the grains and the replies are cached.
/// </summary>
internal sealed class NearCacheLookup(
    GrainQuestions registry,
    NearCacheState cache,
    RevocationCheckSettings options,
    TimeProvider time,
    NearCacheMetrics metrics) : IRevocationLookup
{
    private static readonly Task<LookupResult> NotRevoked = Task.FromResult(LookupResult.NotRevoked);
    private static readonly Task<LookupResult> RevokedByJti = Task.FromResult(LookupResult.RevokedByJti);
    private static readonly Task<LookupResult> RevokedBySubject = Task.FromResult(LookupResult.RevokedBySubject);

    private readonly TimeSpan _maxAge = options.Current.NearCache.MaxAge;

    public string Mode => "near_cache";

    public Task<LookupResult> LookupAsync(TokenIdentity token, bool checkSubject, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var leased = cache.HoldsLease(now);
        var byJti = token.Jti is null ? AnswerKind.NotRevoked : cache.Token(token.TokenKey, now, leased);
        if (byJti == AnswerKind.Revoked)
        {
            metrics.Lookup(hit: true);
            return RevokedByJti;
        }

        DateTimeOffset? notBefore = null;
        var subjectKnown = !checkSubject || token.Subject is null || cache.TrySubject(token.SubjectKey, now, leased, out notBefore);
        if (byJti == AnswerKind.NotRevoked && subjectKnown)
        {
            metrics.Lookup(hit: true);
            return RevokedBy(notBefore, token) ? RevokedBySubject : NotRevoked;
        }

        metrics.Lookup(hit: false);
        return AskGrainsAsync(token, askJti: byJti is null, askSubject: !subjectKnown, notBefore, cancellationToken);
    }

    public void Revoked(IssuerKey token)
    {
        // The registry has told this node already (it tells every node with a lease before the
        // revocation returns), and without a lease nothing "not revoked" is served here.
    }

    private async Task<LookupResult> AskGrainsAsync(
        TokenIdentity token, bool askJti, bool askSubject, DateTimeOffset? knownNotBefore, CancellationToken cancellationToken)
    {
        var ticket = cache.BeginFill(askJti ? token.TokenKey : null, askSubject ? token.SubjectKey : null);

        // Grain calls cannot be cancelled; the checker stops waiting at its timeout.
        var byJti = askJti ? registry.IsRevokedAsync(token.TokenKey, cancellationToken) : null;
        var bySubject = askSubject ? registry.SubjectAsync(token.SubjectKey, cancellationToken) : null;
        if (byJti is not null && bySubject is not null)
        {
            await Task.WhenAll(byJti, bySubject);
        }

        var revoked = byJti is not null && await byJti;
        var notBefore = bySubject is not null ? (await bySubject).NotBefore : knownNotBefore;

        var keepUntil = time.After(time.GetTimestamp(), _maxAge);
        if (byJti is not null)
        {
            cache.FillToken(ticket, token.TokenKey, revoked, Math.Min(keepUntil, ExpiryOf(token)));
        }

        if (bySubject is not null)
        {
            cache.FillSubject(ticket, token.SubjectKey, notBefore, keepUntil);
        }

        return revoked ? LookupResult.RevokedByJti
            : RevokedBy(notBefore, token) ? LookupResult.RevokedBySubject
            : LookupResult.NotRevoked;
    }

    /// <summary>No answer about a token is kept past its <c>exp</c> (a later check asks again, should the node still accept it).</summary>
    private long ExpiryOf(TokenIdentity token)
    {
        var now = time.GetTimestamp();
        return token.ExpiresAt is { } exp ? time.After(now, exp - time.GetUtcNow()) : long.MaxValue;
    }

    private static bool RevokedBy(DateTimeOffset? notBefore, TokenIdentity token) =>
        notBefore is { } nb && token.IssuedAt is { } issuedAt && issuedAt < nb;
}
