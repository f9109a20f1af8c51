using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.AspNetCore.NearCache;

namespace Revocation.Tests.NearCache;

/// <summary>The near cache's rules on a fake clock: leases, generations, the fill/invalidate race, the cap.</summary>
[Trait("Category", "Unit")]
public sealed class NearCacheStateTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));

    [Fact]
    public void NotRevokedAnswer_IsServedOnlyWhileTheLeaseHolds()
    {
        var cache = Leased(out var leaseId);
        cache.FillToken(cache.BeginFill(), "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "a"));
        _time.Advance(Lease);
        Assert.Null(Token(cache, "a"));

        // Extended without a break (same lease id): the answer is good again.
        cache.LeaseGranted(leaseId, Later(Lease));
        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "a"));
    }

    [Fact]
    public void RevokedAnswer_IsServedWithoutALease_UntilItExpires()
    {
        var cache = new NearCacheState(10, _time);
        cache.FillToken(cache.BeginFill(), "a", revoked: true, Later(TimeSpan.FromSeconds(30)));

        Assert.False(cache.HoldsLease(_time.GetTimestamp()));
        Assert.Equal(AnswerKind.Revoked, Token(cache, "a"));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(Token(cache, "a"));
    }

    [Fact]
    public void InvalidationBetweenQuestionAndReply_TheLateNotRevokedReplyIsNotCached()
    {
        var cache = Leased(out _);
        var ticket = cache.BeginFill();

        cache.Apply([RevocationNotice.Token("a", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.Revoked, Token(cache, "a"));
    }

    [Fact]
    public void InvalidationOfAnotherToken_BetweenQuestionAndReply_AlsoKeepsTheReplyOut()
    {
        // Strict on purpose: a revoked answer can be evicted before a late reply lands, so any
        // invalidation in between keeps the reply out of the cache.
        var cache = Leased(out _);
        var ticket = cache.BeginFill();

        cache.Apply([RevocationNotice.Token("b", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Null(Token(cache, "a"));
    }

    [Fact]
    public void NewLeaseBetweenQuestionAndReply_TheReplyIsNotCached()
    {
        var cache = Leased(out _);
        var ticket = cache.BeginFill();

        cache.LeaseGranted(Guid.NewGuid(), Later(Lease));
        cache.FillToken(ticket, "a", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillSubject(ticket, "alice", null, Later(TimeSpan.FromMinutes(5)));

        Assert.Null(Token(cache, "a"));
        Assert.False(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
    }

    [Fact]
    public void NewLeaseId_DropsEveryLeaseBoundAnswer_AndKeepsRevokedOnes()
    {
        var cache = Leased(out _);
        cache.FillToken(cache.BeginFill(), "live", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(cache.BeginFill(), "dead", revoked: true, Later(TimeSpan.FromMinutes(5)));
        cache.FillSubject(cache.BeginFill(), "alice", null, Later(TimeSpan.FromMinutes(5)));

        Assert.True(cache.LeaseGranted(Guid.NewGuid(), Later(Lease)));

        Assert.Null(Token(cache, "live"));
        Assert.Equal(AnswerKind.Revoked, Token(cache, "dead"));
        Assert.False(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out _));
        Assert.Equal(1, cache.TokenCount);
        Assert.Equal(0, cache.SubjectCount);
    }

    [Fact]
    public void EndedLease_ServesNothingLeaseBound_AndNoLaterGrantRevivesIt()
    {
        var cache = Leased(out var leaseId);
        cache.FillToken(cache.BeginFill(), "live", revoked: false, Later(TimeSpan.FromMinutes(5)));
        cache.FillToken(cache.BeginFill(), "dead", revoked: true, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(leaseId, cache.EndLease());
        cache.LeaseGranted(leaseId, Later(Lease));

        Assert.False(cache.HoldsLease(_time.GetTimestamp()));
        Assert.Null(Token(cache, "live"));
        Assert.Equal(AnswerKind.Revoked, Token(cache, "dead"));
    }

    [Fact]
    public void RevokedAnswer_IsNeverReplacedByALaterNotRevokedFill()
    {
        var cache = Leased(out _);
        cache.Apply([RevocationNotice.Token("a", _time.GetUtcNow().AddMinutes(10))], Later(TimeSpan.FromMinutes(5)));

        cache.FillToken(cache.BeginFill(), "a", revoked: false, Later(TimeSpan.FromMinutes(5)));

        Assert.Equal(AnswerKind.Revoked, Token(cache, "a"));
    }

    [Fact]
    public void SubjectNotice_RaisesTheNotBefore_AndNeverLowersIt()
    {
        var cache = Leased(out _);
        var early = DateTimeOffset.Parse("2026-11-24T11:00:00Z");
        var late = DateTimeOffset.Parse("2026-11-24T11:30:00Z");
        cache.FillSubject(cache.BeginFill(), "alice", early, Later(TimeSpan.FromMinutes(5)));

        cache.Apply([RevocationNotice.Subject("alice", late)], Later(TimeSpan.FromMinutes(5)));
        Assert.True(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out var raised));
        cache.Apply([RevocationNotice.Subject("alice", early)], Later(TimeSpan.FromMinutes(5)));
        Assert.True(cache.TrySubject("alice", _time.GetTimestamp(), leased: true, out var kept));

        Assert.Equal(late, raised);
        Assert.Equal(late, kept);
    }

    [Fact]
    public void TokenNotice_HoldsUntilTheRevocationsEnd()
    {
        var cache = Leased(out _);
        cache.Apply([RevocationNotice.Token("a", _time.GetUtcNow().AddSeconds(40))], Later(TimeSpan.FromMinutes(5)));

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
        cache.LeaseGranted(Guid.NewGuid(), Later(Lease));

        for (var i = 0; i < 1_000; i++)
        {
            cache.FillToken(cache.BeginFill(), $"t{i}", revoked: i % 7 == 0, Later(TimeSpan.FromMinutes(5)));
            Assert.True(cache.TokenCount <= 50, $"{cache.TokenCount} entries after {i + 1} tokens");
        }

        Assert.Equal(50, cache.TokenCount);
    }

    [Fact]
    public async Task ConcurrentFills_NeverHoldMoreThanTheCap()
    {
        var cache = new NearCacheState(64, _time);
        cache.LeaseGranted(Guid.NewGuid(), Later(Lease));
        var over = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                cache.FillToken(cache.BeginFill(), $"w{worker}-{i}", revoked: false, Later(TimeSpan.FromMinutes(5)));
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
        cache.LeaseGranted(Guid.NewGuid(), Later(Lease));
        cache.FillToken(cache.BeginFill(), "hot", revoked: false, Later(TimeSpan.FromMinutes(5)));

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(AnswerKind.NotRevoked, Token(cache, "hot"));
            cache.FillToken(cache.BeginFill(), $"cold{i}", revoked: false, Later(TimeSpan.FromMinutes(5)));
        }

        Assert.Equal(AnswerKind.NotRevoked, Token(cache, "hot"));
    }

    [Fact]
    public void NotRevokedAnswer_IsNotServedPastItsOwnExpiry()
    {
        var cache = Leased(out var leaseId);
        cache.FillToken(cache.BeginFill(), "a", revoked: false, Later(TimeSpan.FromSeconds(3)));

        _time.Advance(TimeSpan.FromSeconds(3));
        cache.LeaseGranted(leaseId, Later(Lease));

        Assert.Null(Token(cache, "a"));
    }

    private NearCacheState Leased(out Guid leaseId)
    {
        var cache = new NearCacheState(100, _time);
        leaseId = Guid.NewGuid();
        cache.LeaseGranted(leaseId, Later(Lease));
        return cache;
    }

    private AnswerKind? Token(NearCacheState cache, string jti)
    {
        var now = _time.GetTimestamp();
        return cache.Token(jti, now, cache.HoldsLease(now));
    }

    private long Later(TimeSpan duration) => _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
}
