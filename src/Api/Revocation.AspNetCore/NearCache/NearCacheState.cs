using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// This node's near cache and its lease. "Revoked" answers hold until the token expires; "not
/// revoked" answers and subject not-befores are served only while the lease holds and only if they
/// were filled under the current lease. Writes (fills, invalidations, lease changes) are serialised
/// by one lock, so none can land between another's check and its write; reads take no lock.
/// </summary>
/// <remarks>
/// The fill/invalidate race: a check asks a grain, a revocation's invalidation arrives, then the
/// grain's older "not revoked" reply. Every invalidation and every lease change advances
/// <see cref="FillTicket.Epoch"/>; a "not revoked" reply is cached only if no such event happened
/// since its question was sent (revoked wins). The reply is still the answer to its own request,
/// which was concurrent with the revocation.
/// </remarks>
internal sealed class NearCacheState
{
    private readonly object _writes = new();
    private readonly TimeProvider _time;
    private readonly AnswerRing _tokens;
    private readonly AnswerRing _subjects;
    private long _generation = 1;
    private long _epoch;
    private long _leaseEnds;
    private Guid _leaseId;
    private bool _ended;

    public NearCacheState(int capacity, TimeProvider time)
    {
        _time = time;
        _tokens = new AnswerRing(capacity, IsDead);
        _subjects = new AnswerRing(capacity, IsDead);
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

    /// <summary>Whether "not revoked" answers may be served at <paramref name="now"/>.</summary>
    public bool HoldsLease(long now) => now < Volatile.Read(ref _leaseEnds);

    /// <summary>What the cache says about a token: known revoked, known not revoked (under the lease), or nothing.</summary>
    public AnswerKind? Token(string jti, long now, bool leased)
    {
        if (_tokens.Find(jti) is not { } answer || answer.ExpiresAt <= now)
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
    public bool TrySubject(string subject, long now, bool leased, out DateTimeOffset? notBefore)
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
    public FillTicket BeginFill() => new(Volatile.Read(ref _epoch), Volatile.Read(ref _generation));

    public void FillToken(FillTicket ticket, string jti, bool revoked, long expiresAt)
    {
        lock (_writes)
        {
            var now = _time.GetTimestamp();
            if (revoked)
            {
                // Never stale: kept whatever happened meanwhile.
                _tokens.Put(new CachedAnswer(jti, AnswerKind.Revoked, 0, expiresAt), now);
                return;
            }

            if (ticket.Epoch != _epoch || _tokens.Find(jti) is { Kind: AnswerKind.Revoked })
            {
                return;
            }

            _tokens.Put(new CachedAnswer(jti, AnswerKind.NotRevoked, ticket.Generation, expiresAt), now);
        }
    }

    public void FillSubject(FillTicket ticket, string subject, DateTimeOffset? notBefore, long expiresAt)
    {
        lock (_writes)
        {
            if (ticket.Epoch != _epoch)
            {
                return;
            }

            _subjects.Put(new CachedAnswer(subject, AnswerKind.Subject, ticket.Generation, expiresAt, notBefore?.UtcTicks ?? 0), _time.GetTimestamp());
        }
    }

    /// <summary>Revocations told by the registry: from now on no cached answer contradicts them.</summary>
    /// <param name="notices">The revocations.</param>
    /// <param name="keepUntil">The longest any answer may be kept (a timestamp).</param>
    public void Apply(IReadOnlyList<RevocationNotice> notices, long keepUntil)
    {
        lock (_writes)
        {
            _epoch++;
            var now = _time.GetTimestamp();
            foreach (var notice in notices)
            {
                if (notice.Kind == RevocationNoticeKind.Token)
                {
                    var remaining = notice.Instant - _time.GetUtcNow();
                    var until = remaining <= TimeSpan.Zero ? now : Math.Min(keepUntil, _time.After(now, remaining));
                    if (until > now)
                    {
                        _tokens.Put(new CachedAnswer(notice.Key, AnswerKind.Revoked, 0, until), now);
                    }
                    else
                    {
                        _tokens.Remove(notice.Key);
                    }

                    continue;
                }

                // A not-before only moves forward; the notice carries the registry's latest.
                var ticks = notice.Instant.UtcTicks;
                if (_subjects.Find(notice.Key) is { } held && held.Generation == _generation && held.NotBeforeTicks > ticks)
                {
                    continue;
                }

                _subjects.Put(new CachedAnswer(notice.Key, AnswerKind.Subject, _generation, keepUntil, ticks), now);
            }
        }
    }

    /// <summary>
    /// The registry granted (or extended) a lease ending at <paramref name="endsAt"/>. A lease id
    /// other than the one held means the registry did not count on this node for a while: every
    /// answer filled before is dropped.
    /// </summary>
    /// <returns>Whether the lease is new (the cache was emptied of lease-bound answers).</returns>
    public bool LeaseGranted(Guid leaseId, long endsAt)
    {
        lock (_writes)
        {
            if (_ended)
            {
                return false;
            }

            if (leaseId == _leaseId)
            {
                Volatile.Write(ref _leaseEnds, Math.Max(_leaseEnds, endsAt));
                return false;
            }

            _generation++;
            _epoch++;
            _leaseId = leaseId;
            Volatile.Write(ref _leaseEnds, endsAt);
            var now = _time.GetTimestamp();
            _tokens.RemoveDead(now);
            _subjects.RemoveDead(now);
            return true;
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
            _epoch++;
            Volatile.Write(ref _leaseEnds, 0);
            return held;
        }
    }

    /// <summary>Answers that can never be served again: expired, or filled under an older lease.</summary>
    private bool IsDead(CachedAnswer answer, long now) =>
        answer.ExpiresAt <= now || (answer.Kind != AnswerKind.Revoked && answer.Generation != _generation);
}

/// <summary>The cache's state when a question was sent to the grains.</summary>
internal readonly record struct FillTicket(long Epoch, long Generation);
