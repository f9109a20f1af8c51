using Revocation.Abstractions;
using Revocation.AspNetCore.Lookups;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// The near cache: answered from this node's
/// memory when it can be (no allocation, no network), otherwise only the unknown parts (the token, its
/// session, its subject) are asked of the grains and the replies are cached.
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
    private static readonly Task<LookupResult> RevokedBySession = Task.FromResult(LookupResult.RevokedBySession);

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

        // A token without a sid costs one comparison here.
        var bySession = token.SessionId is null ? AnswerKind.NotRevoked : cache.Session(token.SessionKey, now, leased);
        if (bySession == AnswerKind.Revoked)
        {
            metrics.Lookup(hit: true);
            return RevokedBySession;
        }

        DateTimeOffset? notBefore = null;
        var subjectKnown = !checkSubject || token.Subject is null || cache.TrySubject(token.SubjectKey, now, leased, out notBefore);
        if (byJti == AnswerKind.NotRevoked && bySession == AnswerKind.NotRevoked && subjectKnown)
        {
            metrics.Lookup(hit: true);
            return RevokedBy(notBefore, token) ? RevokedBySubject : NotRevoked;
        }

        metrics.Lookup(hit: false);
        return AskGrainsAsync(token, new Questions(Jti: byJti is null, Session: bySession is null, Subject: !subjectKnown), notBefore, cancellationToken);
    }

    public void Revoked(IssuerKey token)
    {
        // The registry has told this node already (it tells every node with a lease before the
        // revocation returns), and without a lease nothing "not revoked" is served here.
    }

    private async Task<LookupResult> AskGrainsAsync(
        TokenIdentity token, Questions ask, DateTimeOffset? knownNotBefore, CancellationToken cancellationToken)
    {
        var ticket = cache.BeginFill(ask.Jti ? token.TokenKey : null, ask.Subject ? token.SubjectKey : null, ask.Session ? token.SessionKey : null);

        // Grain calls cannot be cancelled; the checker stops waiting at its timeout.
        var byJti = ask.Jti ? registry.IsRevokedAsync(token.TokenKey, cancellationToken) : null;
        var bySession = ask.Session ? registry.IsSessionRevokedAsync(token.SessionKey, cancellationToken) : null;
        var bySubject = ask.Subject ? registry.SubjectAsync(token.SubjectKey, cancellationToken) : null;
        if (ask.Count > 1)
        {
            // Every failure observed, not only the first awaited.
            await Task.WhenAll(new Task?[] { byJti, bySession, bySubject }.OfType<Task>());
        }

        var revoked = byJti is not null && await byJti;
        var sessionRevoked = bySession is not null && await bySession;
        var notBefore = bySubject is not null ? (await bySubject).NotBefore : knownNotBefore;

        var keepUntil = time.After(time.GetTimestamp(), _maxAge);
        if (byJti is not null)
        {
            cache.FillToken(ticket, token.TokenKey, revoked, Math.Min(keepUntil, ExpiryOf(token)));
        }

        if (bySession is not null)
        {
            // About the session, not this token: other tokens of it may outlive this one.
            cache.FillSession(ticket, token.SessionKey, sessionRevoked, keepUntil);
        }

        if (bySubject is not null)
        {
            cache.FillSubject(ticket, token.SubjectKey, notBefore, keepUntil);
        }

        return revoked ? LookupResult.RevokedByJti
            : sessionRevoked ? LookupResult.RevokedBySession
            : RevokedBy(notBefore, token) ? LookupResult.RevokedBySubject
            : LookupResult.NotRevoked;
    }

    /// <summary>Which parts of a check the cache could not answer.</summary>
    private readonly record struct Questions(bool Jti, bool Session, bool Subject)
    {
        public int Count => (Jti ? 1 : 0) + (Session ? 1 : 0) + (Subject ? 1 : 0);
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
