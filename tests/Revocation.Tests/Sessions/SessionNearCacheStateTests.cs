using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.AspNetCore.NearCache;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Sessions;

/// <summary>Session answers in the near cache on a fake clock: under the lease like token answers, revoked ones without it.</summary>
[Trait("Category", "Unit")]
public sealed class SessionNearCacheStateTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T12:00:00Z"));

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

    private NearCacheState Leased(out Guid leaseId)
    {
        var cache = new NearCacheState(100, _time);
        leaseId = Guid.NewGuid();
        cache.LeaseGranted(leaseId, Term(Lease));
        return cache;
    }

    private AnswerKind? Session(NearCacheState cache, IssuerKey sid)
    {
        var now = _time.GetTimestamp();
        return cache.Session(sid, now, cache.HoldsLease(now));
    }

    private LeaseTerm Term(TimeSpan duration) => LeaseTerm.From(_time, _time.GetTimestamp(), _time.GetUtcNow(), duration);

    private long Later(TimeSpan duration) => _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
}
