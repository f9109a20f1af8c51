using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// This node's near cache and its lease. "Revoked" answers (of tokens and of sessions) hold until
/// their end; "not revoked" answers and subject not-befores are served only while the lease holds
/// and only if they were filled under the current lease. Writes (fills, invalidations, lease changes) are serialised
/// by one lock, so none can land between another's check and its write; reads take no lock.
/// </summary>
/// <remarks>
/// The fill/invalidate race: a check asks a grain, a revocation's invalidation arrives, then the
/// grain's older "not revoked" reply. Every invalidation advances the epoch of its key's stripe
/// (<see cref="FillEpochs"/>) and every lease change the generation; a reply is cached only if
/// neither moved since its question was sent (revoked wins). The reply is still the answer to its
/// own request, which was concurrent with the revocation.
/// </remarks>
internal sealed class NearCacheState
{
    private readonly object _writes = new();
    private readonly TimeProvider _time;
    private readonly AnswerRing _tokens;
    private readonly AnswerRing _subjects;
    private readonly AnswerRing _sessions;
    private readonly FillEpochs _tokenEpochs = new();
    private readonly FillEpochs _subjectEpochs = new();
    private readonly FillEpochs _sessionEpochs = new();
    private readonly IssuerNames _issuers = new();
    private long _generation = 1;
    private LeaseTerm _lease = LeaseTerm.None;
    private Guid _leaseId;
    private bool _ended;

    public NearCacheState(int capacity, TimeProvider time)
    {
        _time = time;
        _tokens = new AnswerRing(capacity, IsDead);
        _subjects = new AnswerRing(capacity, IsDead);
        _sessions = new AnswerRing(capacity, IsDead);
    }

    /// <summary>The lease this node holds (<see cref="Guid.Empty"/>: none yet).</summary>
    public Guid LeaseId
    {
        get
        {
            lock (_writes)
            {
                return _leaseId;
            }
        }
    }

    public int TokenCount => _tokens.Count;

    public int SubjectCount => _subjects.Count;

    public int SessionCount => _sessions.Count;

    /// <summary>Whether "not revoked" answers may be served at <paramref name="now"/> (and now on the wall clock).</summary>
    public bool HoldsLease(long now) => Volatile.Read(ref _lease).HoldsAt(now, _time.GetUtcNow().UtcTicks);

    /// <summary>What the cache says about a token: known revoked, known not revoked (under the lease), or nothing.</summary>
    public AnswerKind? Token(IssuerKey jti, long now, bool leased) => Flag(_tokens, jti, now, leased);

    /// <summary>What the cache says about a session: known revoked, known not revoked (under the lease), or nothing.</summary>
    public AnswerKind? Session(IssuerKey sid, long now, bool leased) => Flag(_sessions, sid, now, leased);

    private AnswerKind? Flag(AnswerRing answers, IssuerKey key, long now, bool leased)
    {
        if (answers.Find(key) is not { } answer || answer.ExpiresAt <= now)
        {
            return null;
        }

        if (answer.Kind == AnswerKind.Revoked)
        {
            return AnswerKind.Revoked;
        }

        return leased && answer.Generation == Volatile.Read(ref _generation) ? AnswerKind.NotRevoked : null;
    }

    /// <summary>The subject's not-before under the lease (<c>null</c> inside: none); false when not known.</summary>
    public bool TrySubject(IssuerKey subject, long now, bool leased, out DateTimeOffset? notBefore)
    {
        notBefore = null;
        if (!leased || _subjects.Find(subject) is not { } answer || answer.ExpiresAt <= now || answer.Generation != Volatile.Read(ref _generation))
        {
            return false;
        }

        notBefore = answer.NotBeforeTicks == 0 ? null : new DateTimeOffset(answer.NotBeforeTicks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Taken before a question is sent to the grains; the reply is cached only if nothing intervened.</summary>
    public FillTicket BeginFill(IssuerKey? jti, IssuerKey? subject, IssuerKey? session = null) => new(
        jti is { } token ? _tokenEpochs.Of(token) : 0,
        subject is { } sub ? _subjectEpochs.Of(sub) : 0,
        Volatile.Read(ref _generation),
        session is { } sid ? _sessionEpochs.Of(sid) : 0);

    public void FillToken(FillTicket ticket, IssuerKey jti, bool revoked, long expiresAt) =>
        FillFlag(_tokens, _tokenEpochs, ticket.TokenEpoch, ticket.Generation, jti, revoked, expiresAt);

    public void FillSession(FillTicket ticket, IssuerKey sid, bool revoked, long expiresAt) =>
        FillFlag(_sessions, _sessionEpochs, ticket.SessionEpoch, ticket.Generation, sid, revoked, expiresAt);

    private void FillFlag(AnswerRing answers, FillEpochs epochs, long epoch, long generation, IssuerKey key, bool revoked, long expiresAt)
    {
        lock (_writes)
        {
            var now = _time.GetTimestamp();
            if (revoked)
            {
                // Never stale: kept whatever happened meanwhile.
                answers.Put(new CachedAnswer(_issuers.Share(key), AnswerKind.Revoked, 0, expiresAt), now);
                return;
            }

            if (epoch != epochs.Of(key) || answers.Find(key) is { Kind: AnswerKind.Revoked })
            {
                return;
            }

            answers.Put(new CachedAnswer(_issuers.Share(key), AnswerKind.NotRevoked, generation, expiresAt), now);
        }
    }

    public void FillSubject(FillTicket ticket, IssuerKey subject, DateTimeOffset? notBefore, long expiresAt)
    {
        lock (_writes)
        {
            if (ticket.SubjectEpoch != _subjectEpochs.Of(subject))
            {
                return;
            }

            _subjects.Put(new CachedAnswer(_issuers.Share(subject), AnswerKind.Subject, ticket.Generation, expiresAt, notBefore?.UtcTicks ?? 0), _time.GetTimestamp());
        }
    }

    /// <summary>Revocations told by the registry: from now on no cached answer contradicts them.</summary>
    /// <param name="notices">The revocations.</param>
    /// <param name="keepUntil">The longest any answer may be kept (a timestamp).</param>
    /// <remarks>
    /// A subject notice only ever raises a not-before this node holds under its current lease; it
    /// never creates one. Notices are not ordered (revocations of one subject notify concurrently, a
    /// gateway may hold a message for a disconnected node and deliver it after a newer one, an answer
    /// may be evicted between two notices), so a notice may carry an older not-before than one already
    /// applied and forgotten: stored as new, it would let a token revoked by the newer one through.
    /// Without an entry the next check asks the subject's grain, which holds the latest.
    /// </remarks>
    public void Apply(IReadOnlyList<RevocationNotice> notices, long keepUntil)
    {
        lock (_writes)
        {
            var now = _time.GetTimestamp();
            foreach (var notice in notices)
            {
                var key = notice.ScopedKey;
                if (notice.Kind is RevocationNoticeKind.Token or RevocationNoticeKind.Session)
                {
                    var (answers, epochs) = notice.Kind == RevocationNoticeKind.Token ? (_tokens, _tokenEpochs) : (_sessions, _sessionEpochs);
                    epochs.Advance(key);
                    var remaining = notice.Instant - _time.GetUtcNow();
                    var until = remaining <= TimeSpan.Zero ? now : Math.Min(keepUntil, _time.After(now, remaining));
                    if (until > now)
                    {
                        answers.Put(new CachedAnswer(_issuers.Share(key), AnswerKind.Revoked, 0, until), now);
                    }
                    else
                    {
                        answers.Remove(key);
                    }

                    continue;
                }

                _subjectEpochs.Advance(key);
                var ticks = notice.Instant.UtcTicks;
                if (_subjects.Find(key) is { } held && held.Generation == _generation && held.NotBeforeTicks < ticks)
                {
                    _subjects.Put(new CachedAnswer(_issuers.Share(key), AnswerKind.Subject, _generation, held.ExpiresAt, ticks), now);
                }
            }
        }
    }

    /// <summary>
    /// The registry granted (or extended) a lease for <paramref name="term"/>. The same lease id
    /// extends the lease. Another id means the registry did not count on this node for a while —
    /// unless this node's own lease never ran out meanwhile: then the registry that answered is a new
    /// activation of the lease grain (its predecessor's silo died or it moved), which sends this node
    /// every revocation it has handled since it started before any of them returns, and nothing else
    /// can have completed without this node's acknowledgement (the predecessor gave up on a node only
    /// after the node's lease had run out on the node's own clock). Only then are the answers kept;
    /// otherwise every lease-bound answer is dropped.
    /// </summary>
    public LeaseChange LeaseGranted(Guid leaseId, LeaseTerm term)
    {
        lock (_writes)
        {
            if (_ended)
            {
                return LeaseChange.Ended;
            }

            if (leaseId == _leaseId)
            {
                if (term.EndsAt > _lease.EndsAt)
                {
                    Volatile.Write(ref _lease, term);
                }

                return LeaseChange.Extended;
            }

            var unbroken = _leaseId != Guid.Empty && HoldsLease(_time.GetTimestamp());
            _leaseId = leaseId;
            Volatile.Write(ref _lease, term);
            if (unbroken)
            {
                return LeaseChange.Continued;
            }

            _generation++;
            var now = _time.GetTimestamp();
            _tokens.RemoveDead(now);
            _subjects.RemoveDead(now);
            _sessions.RemoveDead(now);
            return LeaseChange.New;
        }
    }

    /// <summary>
    /// The node gives its lease up (it is shutting down): from now on nothing lease-bound is served
    /// and no later grant revives the lease.
    /// </summary>
    /// <returns>The lease that was held (<see cref="Guid.Empty"/>: none).</returns>
    public Guid EndLease()
    {
        lock (_writes)
        {
            var held = _leaseId;
            _ended = true;
            _generation++;
            Volatile.Write(ref _lease, LeaseTerm.None);
            return held;
        }
    }

    /// <summary>Answers that can never be served again: expired, or filled under an older lease.</summary>
    private bool IsDead(CachedAnswer answer, long now) =>
        answer.ExpiresAt <= now || (answer.Kind != AnswerKind.Revoked && answer.Generation != _generation);
}

/// <summary>The cache's state when a question was sent to the grains: the epochs of the keys asked about and the lease generation.</summary>
internal readonly record struct FillTicket(long TokenEpoch, long SubjectEpoch, long Generation, long SessionEpoch = 0);

