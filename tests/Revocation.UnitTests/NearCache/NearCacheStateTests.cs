using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.AspNetCore.NearCache;

namespace Revocation.UnitTests.NearCache;

/// <summary>The near cache's rules on a fake clock: leases, generations, the fill/invalidate race, the cap; session answers under the lease like token answers.</summary>
public sealed class NearCacheStateTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));

    [Fact]
    public void NotRevokedAnswer_IsServedOnlyWhileTheLeaseHolds()
    {
        var cache = Leased(out var leaseId);
        cache.FillToken(cache.BeginFill("a", null), "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "a"));
        _time.Advance(Lease);
        Assert.Null(Token(cache, "a"));

        // Extended without a break (same lease id): the answer is good again.
        cache.LeaseGranted(leaseId, Term(Lease));
        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "a"));
    }

    [Fact]
    public void Notices_ChangeOnlyTheEntryOfTheirIssuer()
    {
        var cache = Leased(out _);
        var ours = new IssuerKey(TestTokens.Issuer, "a");
        var theirs = new IssuerKey("https://other.example", "a");
        var ourSubject = new IssuerKey(TestTokens.Issuer, "alice");
        var theirSubject = new IssuerKey("https://other.example", "alice");
        foreach (var key in new[] { ours, theirs })
        {
            cache.FillToken(cache.BeginFill(key, null), key, revoked: false, Later(TimeSpan.FromMinutes(5)));
        }

        foreach (var key in new[] { ourSubject, theirSubject })
        {
            cache.FillSubject(cache.BeginFill(null, key), key, _time.GetUtcNow().AddMinutes(-1), Later(TimeSpan.FromMinutes(5)));
        }

        var notBefore = _time.GetUtcNow();
        cache.Apply(
            [RevocationNotice.Token("https://other.example", "a", _time.GetUtcNow().AddMinutes(10)), RevocationNotice.Subject(TestTokens.Issuer, "alice", notBefore)],
            Later(TimeSpan.FromMinutes(5)));

        var now = _time.GetTimestamp();
        Assert.Equal(AnswerKind.NotRevoked, cache.Token(ours, now, leased: true));
        Assert.Equal(AnswerKind.Revoked, cache.Token(theirs, now, leased: true));
        Assert.True(cache.TrySubject(ourSubject, now, leased: true, out var ourNotBefore));
        Assert.True(cache.TrySubject(theirSubject, now, leased: true, out var theirNotBefore));
        Assert.Equal(notBefore, ourNotBefore);
        Assert.Equal(_time.GetUtcNow().AddMinutes(-1), theirNotBefore);
    }

    [Fact]
    public void RevokedAnswer_IsServedWithoutALease_UntilItExpires()
    {
        var cache = new NearCacheState(10, _time);
        cache.FillToken(cache.BeginFill("a", null), "a", revoked: true, Later(TimeSpan.FromSeconds(30)));

        Assert.False(cache.HoldsLease(_time.GetTimestamp()));
        Assert.Equal(AnswerKind.Revoked, Token(cache, "a"));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(Token(cache, "a"));
    }

    [Fact]
    public void InvalidationBetweenQuestionAndReply_TheLateNotRevokedReplyIsNotCached()
    {
        var cache = Leased(out _);
        var ticket = cache.BeginFill("a", null);

        cache.Apply([RevocationNotice.Token(TestTokens.Issuer, "a", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.Revoked, Token(cache, "a"));
    }

    [Fact]
    public void NoticeForAnotherToken_BetweenQuestionAndReply_DoesNotCancelTheFill()
    {
        // With one epoch for the whole cache, every notice cancelled every fill in flight: under a
        // steady stream of revocations almost no miss was ever cached.
        var cache = Leased(out _);
        var ticket = cache.BeginFill("a", null);

        cache.Apply([RevocationNotice.Token(TestTokens.Issuer, "b", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "a"));
    }

    [Fact]
    public void RevokedAnswerEvictedBeforeALateReply_StillKeepsTheReplyOut()
    {
        var cache = new NearCacheState(2, _time);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));
        var ticket = cache.BeginFill("a", null);
        cache.Apply([RevocationNotice.Token(TestTokens.Issuer, "a", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));
        for (var i = 0; i < 10; i++)
        {
            cache.FillToken(cache.BeginFill($"other{i}", null), $"other{i}", revoked: false, Later(TimeSpan.FromMinutes(5)));
        }

        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.NotEqual(AnswerKind.NotRevoked, Token(cache, "a"));
    }

    [Fact]
    public void NewLeaseAfterALapse_BetweenQuestionAndReply_TheReplyIsNotCached()
    {
        var cache = Leased(out _);
        var ticket = cache.BeginFill("a", "alice");
        _time.Advance(Lease);

        Assert.Equal(LeaseChange.New, cache.LeaseGranted(Guid.NewGuid(), Term(Lease)));
        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillSubject(ticket, "alice", null, Later(TimeSpan.FromMinutes(5)));

        Assert.Null(Token(cache, "a"));
        Assert.False(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
    }

    [Fact]
    public void NewLeaseIdAfterALapse_DropsEveryLeaseBoundAnswer_AndKeepsRevokedOnes()
    {
        var cache = Leased(out _);
        cache.FillToken(cache.BeginFill("live", null), "live", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(cache.BeginFill("dead", null), "dead", revoked: true, Later(TimeSpan.FromMinutes(5)));
        cache.FillSubject(cache.BeginFill(null, "alice"), "alice", null, Later(TimeSpan.FromMinutes(5)));
        _time.Advance(Lease);

        Assert.Equal(LeaseChange.New, cache.LeaseGranted(Guid.NewGuid(), Term(Lease)));

        Assert.Null(Token(cache, "live"));
        Assert.Equal(AnswerKind.Revoked, Token(cache, "dead"));
        Assert.False(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
        Assert.Equal(1, cache.TokenCount);
        Assert.Equal(0, cache.SubjectCount);
    }

    [Fact]
    public void NewLeaseIdWhileTheLeaseStillHolds_KeepsTheAnswers()
    {
        // Only a new lease grain activation answers so (it sends this node every revocation it
        // handled since it started): the answers stay good, and the node stays fast through the move.
        var cache = Leased(out _);
        cache.FillToken(cache.BeginFill("live", null), "live", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillSubject(cache.BeginFill(null, "alice"), "alice", null, Later(TimeSpan.FromMinutes(5)));
        _time.Advance(Lease - TimeSpan.FromTicks(1));

        Assert.Equal(LeaseChange.Continued, cache.LeaseGranted(Guid.NewGuid(), Term(Lease)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "live"));
        Assert.True(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
    }

    [Fact]
    public void MonotonicClockStoppedBySuspend_TheWallClockEndsTheLease()
    {
        // CLOCK_MONOTONIC stands still across a system suspend or VM pause: after it, only the wall
        // clock shows that the lease ran out while revocations completed without this node.
        var clock = new SuspendableClock(_time.GetUtcNow());
        var cache = new NearCacheState(10, clock);
        cache.LeaseGranted(Guid.NewGuid(), LeaseTerm.From(clock, clock.GetTimestamp(), clock.GetUtcNow(), Lease));
        cache.FillToken(cache.BeginFill("a", null), "a", revoked: false, clock.GetTimestamp() + clock.TimestampFrequency * 300);
        var before = cache.HoldsLease(clock.GetTimestamp());

        clock.Suspend(TimeSpan.FromMinutes(1));
        var now = clock.GetTimestamp();

        Assert.True(before);
        Assert.False(cache.HoldsLease(now));
        Assert.Null(cache.Token("a", now, cache.HoldsLease(now)));
    }

    [Fact]
    public void WallClockSteppedBack_TheMonotonicClockStillEndsTheLease()
    {
        var clock = new SuspendableClock(_time.GetUtcNow());
        var cache = new NearCacheState(10, clock);
        cache.LeaseGranted(Guid.NewGuid(), LeaseTerm.From(clock, clock.GetTimestamp(), clock.GetUtcNow(), Lease));

        clock.Advance(Lease);
        clock.StepWallClock(-TimeSpan.FromHours(1));

        Assert.False(cache.HoldsLease(clock.GetTimestamp()));
    }

    [Fact]
    public void SubjectNotice_ForASubjectNotHeld_CreatesNoEntry()
    {
        var cache = Leased(out _);

        cache.Apply([RevocationNotice.Subject(TestTokens.Issuer, "alice", _time.GetUtcNow())], Later(TimeSpan.FromMinutes(5)));

        Assert.False(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
        Assert.Equal(0, cache.SubjectCount);
    }

    [Fact]
    public void StaleSubjectNotice_ArrivingUnderANewLease_CannotInstallAnOlderNotBefore()
    {
        // A gateway held the older notice while the node was cut off; the node then got a new lease
        // (cache emptied), and the notice arrives last. Stored, it would accept a token that the later
        // "log out everywhere" revoked; without an entry the check asks the subject's grain.
        var cache = Leased(out _);
        var older = DateTimeOffset.Parse("2026-11-24T11:00:00Z");
        var newer = DateTimeOffset.Parse("2026-11-24T11:30:00Z");
        cache.FillSubject(cache.BeginFill(null, "alice"), "alice", null, Later(TimeSpan.FromMinutes(5)));
        cache.Apply([RevocationNotice.Subject(TestTokens.Issuer, "alice", newer)], Later(TimeSpan.FromMinutes(5)));
        _time.Advance(Lease);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));

        cache.Apply([RevocationNotice.Subject(TestTokens.Issuer, "alice", older)], Later(TimeSpan.FromMinutes(5)));

        Assert.False(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
    }

    [Fact]
    public void EndedLease_ServesNothingLeaseBound_AndNoLaterGrantRevivesIt()
    {
        var cache = Leased(out var leaseId);
        cache.FillToken(cache.BeginFill("live", null), "live", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(cache.BeginFill("dead", null), "dead", revoked: true, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(leaseId, cache.EndLease());
        cache.LeaseGranted(leaseId, Term(Lease));

        Assert.False(cache.HoldsLease(_time.GetTimestamp()));
        Assert.Null(Token(cache, "live"));
        Assert.Equal(AnswerKind.Revoked, Token(cache, "dead"));
    }

    [Fact]
    public void RevokedAnswer_IsNeverReplacedByALaterNotRevokedFill()
    {
        var cache = Leased(out _);
        cache.Apply([RevocationNotice.Token(TestTokens.Issuer, "a", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));

        cache.FillToken(cache.BeginFill("a", null), "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.Revoked, Token(cache, "a"));
    }

    [Fact]
    public void SubjectNotice_RaisesTheNotBefore_AndNeverLowersIt()
    {
        var cache = Leased(out _);
        var early = DateTimeOffset.Parse("2026-11-24T11:00:00Z");
        var late = DateTimeOffset.Parse("2026-11-24T11:30:00Z");
        cache.FillSubject(cache.BeginFill(null, "alice"), "alice", early, Later(TimeSpan.FromMinutes(5)));

        cache.Apply([RevocationNotice.Subject(TestTokens.Issuer, "alice", late)], Later(TimeSpan.FromMinutes(5)));
        Assert.True(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out var raised));
        cache.Apply([RevocationNotice.Subject(TestTokens.Issuer, "alice", early)], Later(TimeSpan.FromMinutes(5)));
        Assert.True(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out var kept));

        Assert.Equal(late, raised);
        Assert.Equal(late, kept);
    }

    [Fact]
    public void TokenNotice_HoldsUntilTheRevocationsEnd()
    {
        var cache = Leased(out _);
        cache.Apply([RevocationNotice.Token(TestTokens.Issuer, "a", _time.GetUtcNow().AddSeconds(40))], Later(TimeSpan.FromMinutes(5)));

        _time.Advance(TimeSpan.FromSeconds(39));
        var before = Token(cache, "a");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(AnswerKind.Revoked, before);
        Assert.Null(Token(cache, "a"));
    }

    [Fact]
    public void MoreDistinctTokensThanTheCap_NeverHoldsMoreThanTheCap()
    {
        var cache = new NearCacheState(50, _time);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));

        for (var i = 0; i < 1_000; i++)
        {
            cache.FillToken(cache.BeginFill($"t{i}", null), $"t{i}", revoked: i % 7 == 0, Later(TimeSpan.FromMinutes(5)));
            Assert.True(cache.TokenCount <= 50, $"{cache.TokenCount} entries after {i + 1} tokens");
        }

        Assert.Equal(50, cache.TokenCount);
    }

    [Fact]
    public async Task ConcurrentFills_NeverHoldMoreThanTheCap()
    {
        var cache = new NearCacheState(64, _time);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));
        var over = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                cache.FillToken(cache.BeginFill($"w{worker}-{i}", null), $"w{worker}-{i}", revoked: false, Later(TimeSpan.FromMinutes(5)));
                if (cache.TokenCount > 64)
                {
                    Interlocked.Increment(ref over);
                }
            }
        })));

        Assert.Equal(0, over);
        Assert.Equal(64, cache.TokenCount);
    }

    [Fact]
    public void RecentlyServedAnswer_SurvivesAStreamOfNewOnes()
    {
        var cache = new NearCacheState(20, _time);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));
        cache.FillToken(cache.BeginFill("hot", null), "hot", revoked: false, Later(TimeSpan.FromMinutes(5)));

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(AnswerKind.NotRevoked, Token(cache, "hot"));
            cache.FillToken(cache.BeginFill($"cold{i}", null), $"cold{i}", revoked: false, Later(TimeSpan.FromMinutes(5)));
        }

        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "hot"));
    }

    [Fact]
    public void NotRevokedAnswer_IsNotServedPastItsOwnExpiry()
    {
        var cache = Leased(out var leaseId);
        cache.FillToken(cache.BeginFill("a", null), "a", revoked: false, Later(TimeSpan.FromSeconds(3)));

        _time.Advance(TimeSpan.FromSeconds(3));
        cache.LeaseGranted(leaseId, Term(Lease));

        Assert.Null(Token(cache, "a"));
    }

    [Fact]
    public void NotRevokedSession_IsServedOnlyWhileTheLeaseHolds_AndANewLeaseDropsIt()
    {
        var cache = Leased(out _);
        var sid = TestKeys.Scoped("session-1");
        cache.FillSession(cache.BeginFill(null, null, sid), sid, revoked: false, Later(TimeSpan.FromMinutes(5)));
        var underLease = Session(cache, sid);

        _time.Advance(Lease);
        var lapsed = Session(cache, sid);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));

        Assert.Equal(AnswerKind.NotRevoked, underLease);
        Assert.Null(lapsed);
        Assert.Null(Session(cache, sid));
        Assert.Equal(0, cache.SessionCount);
    }

    [Fact]
    public void SessionNotice_RefusesTheSession_WithoutALease_AndOnlyThatIssuersSession()
    {
        var cache = Leased(out _);
        var ours = TestKeys.Scoped("shared-sid");
        var theirs = new IssuerKey("https://other.example", "shared-sid");
        foreach (var key in new[] { ours, theirs })
        {
            cache.FillSession(cache.BeginFill(null, null, key), key, revoked: false, Later(TimeSpan.FromMinutes(5)));
        }

        cache.Apply([RevocationNotice.Session(TestTokens.Issuer, "shared-sid", _time.GetUtcNow().AddDays(1))], Later(TimeSpan.FromMinutes(5)));
        var now = _time.GetTimestamp();

        Assert.Equal(AnswerKind.Revoked, cache.Session(ours, now, leased: true));
        Assert.Equal(AnswerKind.NotRevoked, cache.Session(theirs, now, leased: true));
        Assert.Equal(AnswerKind.Revoked, cache.Session(ours, now, leased: false));
        // A session notice is not a token notice: a jti equal to the sid is untouched.
        Assert.Null(cache.Token(ours, now, leased: true));
    }

    [Fact]
    public void NotRevokedReply_RacingASessionNotice_IsNotCached()
    {
        var cache = Leased(out _);
        var sid = TestKeys.Scoped("racing");
        var ticket = cache.BeginFill(null, null, sid);

        cache.Apply([RevocationNotice.Session(TestTokens.Issuer, "racing", _time.GetUtcNow().AddDays(1))], Later(TimeSpan.FromMinutes(5)));
        cache.FillSession(ticket, sid, revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.Revoked, Session(cache, sid));
    }

    [Fact]
    public void NotRevokedReply_AskedUnderALeaseThatLapsedMeanwhile_IsNeverServed()
    {
        var cache = Leased(out _);
        var sid = TestKeys.Scoped("slow-reply");
        var ticket = cache.BeginFill(null, null, sid);
        _time.Advance(Lease);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));

        cache.FillSession(ticket, sid, revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Null(Session(cache, sid));
    }

    [Fact]
    public void RevokedSession_IsKeptAcrossANewLease_UntilTheNoticesEnd()
    {
        var cache = Leased(out _);
        var sid = TestKeys.Scoped("ended");
        cache.Apply([RevocationNotice.Session(TestTokens.Issuer, "ended", _time.GetUtcNow().AddSeconds(30))], Later(TimeSpan.FromMinutes(5)));
        _time.Advance(Lease);
        cache.LeaseGranted(Guid.NewGuid(), Term(Lease));
        var afterNewLease = Session(cache, sid);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(AnswerKind.Revoked, afterNewLease);
        Assert.Null(Session(cache, sid));
    }

    private AnswerKind? Session(NearCacheState cache, IssuerKey sid)
    {
        var now = _time.GetTimestamp();
        return cache.Session(sid, now, cache.HoldsLease(now));
    }

    private NearCacheState Leased(out Guid leaseId)
    {
        var cache = new NearCacheState(100, _time);
        leaseId = Guid.NewGuid();
        cache.LeaseGranted(leaseId, Term(Lease));
        return cache;
    }

    private AnswerKind? Token(NearCacheState cache, string jti)
    {
        var now = _time.GetTimestamp();
        return cache.Token(jti, now, cache.HoldsLease(now));
    }

    private LeaseTerm Term(TimeSpan duration) => LeaseTerm.From(_time, _time.GetTimestamp(), _time.GetUtcNow(), duration);

    private long Later(TimeSpan duration) => _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
}
