using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Revocation.Abstractions;
using Revocation.Api.Registry;
using Revocation.AspNetCore.IssuerClocks;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.Subjects;

/// <summary>
/// The not-before "log out everywhere" takes on an API node, against issuers whose clocks run ahead
/// of or behind the node's, all on a clock that moves only when a test moves it: every token minted
/// before the logout is refused, one minted a second after the logout returned is accepted.
/// </summary>
public sealed class SubjectNotBeforeTests : IDisposable
{
    private const string Issuer = "https://issuer.example";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Margin = LogoutEverywhereOptions.DefaultIssuerClockMargin;

    private readonly FakeTimeProvider _node = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly IssuerClockOffsets _offsets;
    private readonly LogSink _logs = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly SubjectNotBefore _notBefore;
    private long _unknownCounted;

    public SubjectNotBeforeTests()
    {
        _offsets = new IssuerClockOffsets(_node, Options.Create(new IssuerClockOptions()));
        var metrics = new RevocationMetrics(_services.GetRequiredService<IMeterFactory>());
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "revocation.subject.issuer_clock_unknown")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _unknownCounted, value));
        _listener.Start();
        _notBefore = new SubjectNotBefore(
            _offsets, Options.Create(new LogoutEverywhereOptions()), _node, metrics, new LoggerFactory([_logs]).CreateLogger<SubjectNotBefore>());
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
        _logs.Dispose();
    }

    /// <summary>Issuers ahead of the node (positive) and behind it, by 10 s and by 29 s (the 30 s skew less one).</summary>
    public static readonly TheoryData<int, int, int> Clocks = Combine();

    private static TheoryData<int, int, int> Combine()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var ahead in new[] { 10, 29, -10, -29 })
        {
            foreach (var sampleIntoItsSecond in new[] { 0, 999 })
            {
                foreach (var logoutIntoItsSecond in new[] { 0, 1, 500, 999 })
                {
                    data.Add(ahead, sampleIntoItsSecond, logoutIntoItsSecond);
                }
            }
        }

        return data;
    }

    private static TokenValidationParameters Validation(string validIssuer, params string[] more) =>
        new() { ValidIssuer = validIssuer, ValidIssuers = more, ClockSkew = Skew };

    /// <summary>The <c>iat</c> an issuer <paramref name="ahead"/> of the node stamps on a token minted at node time <paramref name="at"/>.</summary>
    private static DateTimeOffset IssuedAt(DateTimeOffset at, TimeSpan ahead) =>
        DateTimeOffset.FromUnixTimeSeconds((at + ahead).ToUnixTimeSeconds());

    /// <summary>Moves the node's clock on to the next instant <paramref name="intoItsSecond"/> into a second of <paramref name="ahead"/>'s clock.</summary>
    private void MoveTo(TimeSpan intoItsSecond, TimeSpan ahead)
    {
        var fraction = (_node.GetUtcNow() + ahead).UtcTicks % TimeSpan.TicksPerSecond;
        _node.Advance(TimeSpan.FromTicks((intoItsSecond.Ticks - fraction + TimeSpan.TicksPerSecond) % TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// The node checks a token that was minted <paramref name="latency"/> ago, <paramref name="intoItsSecond"/>
    /// into its issuer's second: a sample short of the issuer's true offset by both.
    /// </summary>
    private void Check(string issuer, TimeSpan ahead, TimeSpan intoItsSecond, TimeSpan latency)
    {
        MoveTo(intoItsSecond, ahead - latency);
        _offsets.Record(issuer, IssuedAt(_node.GetUtcNow() - latency, ahead), Skew);
    }

    [Theory]
    [MemberData(nameof(Clocks))]
    public void LogoutEverywhere_RefusesEveryTokenMintedBefore_AndAcceptsOneMintedASecondAfterItReturned(int aheadSeconds, int sampleIntoItsSecondMs, int logoutIntoItsSecondMs)
    {
        var ahead = TimeSpan.FromSeconds(aheadSeconds);
        // The freshest token falls short of the issuer's offset by up to 0.999 + 0.5 s: within the margin.
        Check(Issuer, ahead, TimeSpan.FromMilliseconds(sampleIntoItsSecondMs), latency: TimeSpan.FromMilliseconds(500));
        _node.Advance(TimeSpan.FromMinutes(3));
        MoveTo(TimeSpan.FromMilliseconds(logoutIntoItsSecondMs), TimeSpan.Zero);
        var logoutAt = _node.GetUtcNow();

        var (notBefore, minimumDuration) = _notBefore.Next(Issuer, Validation(Issuer));
        var rule = new SubjectStatus(notBefore);
        var returnedAt = logoutAt + minimumDuration; // the earliest the logout returns

        Assert.Equal(Margin, minimumDuration);
        for (var before = TimeSpan.FromMilliseconds(1); before <= TimeSpan.FromSeconds(3); before += TimeSpan.FromMilliseconds(1))
        {
            Assert.True(rule.Revokes(IssuedAt(logoutAt - before, ahead)), $"a token minted {before.TotalMilliseconds} ms before the logout was not revoked (not-before {notBefore:o})");
        }

        Assert.True(rule.Revokes(IssuedAt(logoutAt - TimeSpan.FromMinutes(10), ahead)));
        Assert.False(rule.Revokes(IssuedAt(returnedAt + TimeSpan.FromSeconds(1), ahead)), $"a token minted 1 s after the return was revoked (not-before {notBefore:o})");
        Assert.Equal(0, Interlocked.Read(ref _unknownCounted));
    }

    [Theory]
    [InlineData(29)]
    [InlineData(0)]
    [InlineData(-29)]
    public void IssuerNeverSeen_IsAssumedTheFullSkewAhead_LoggedOnceAndCounted(int aheadSeconds)
    {
        var ahead = TimeSpan.FromSeconds(aheadSeconds);
        _node.Advance(TimeSpan.FromMilliseconds(123));
        var logoutAt = _node.GetUtcNow();

        var (notBefore, _) = _notBefore.Next(Issuer, Validation(Issuer));
        _notBefore.Next(Issuer, Validation(Issuer));

        Assert.Equal(logoutAt + Skew, notBefore);
        Assert.True(new SubjectStatus(notBefore).Revokes(IssuedAt(logoutAt - TimeSpan.FromMilliseconds(1), ahead)));
        Assert.Single(_logs.Lines, line => line.Contains(Issuer, StringComparison.Ordinal) && line.Contains("Jwt:ClockSkew", StringComparison.Ordinal));
        Assert.Equal(2, Interlocked.Read(ref _unknownCounted));
    }

    [Fact]
    public void SampleOlderThanTheWindow_IsForgotten_AndTheFullSkewAssumed()
    {
        Check(Issuer, TimeSpan.FromSeconds(-10), TimeSpan.Zero, TimeSpan.Zero);
        _node.Advance(new IssuerClockOptions().Window);

        var (notBefore, _) = _notBefore.Next(Issuer, Validation(Issuer));

        Assert.Equal(_node.GetUtcNow() + Skew, notBefore);
        Assert.Equal(1, Interlocked.Read(ref _unknownCounted));
    }

    [Fact]
    public void SeveralIssuers_TheNotBeforeIsOnTheSubjectsOwnIssuersClock()
    {
        // Subjects are scoped by issuer: an issuer far ahead no longer holds back a sign-in through another.
        Check("ahead", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.Zero);
        Check("behind", TimeSpan.FromSeconds(-10), TimeSpan.Zero, TimeSpan.Zero);
        var logoutAt = _node.GetUtcNow();

        var (notBefore, _) = _notBefore.Next("behind", Validation("ahead", "behind"));

        var rule = new SubjectStatus(notBefore);
        var behind = TimeSpan.FromSeconds(-10);
        Assert.True(rule.Revokes(IssuedAt(logoutAt - TimeSpan.FromMilliseconds(1), behind)));
        Assert.False(rule.Revokes(IssuedAt(logoutAt + Margin + TimeSpan.FromSeconds(1), behind)));
        Assert.Equal(0, Interlocked.Read(ref _unknownCounted));
    }

    [Fact]
    public void IssuerNeverSeen_NextToOneSeen_OnlyItIsAssumedTheFullSkewAhead()
    {
        Check("seen", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

        var (seen, _) = _notBefore.Next("seen", Validation("seen", "configured-too"));
        var (unseen, _) = _notBefore.Next("configured-too", Validation("seen", "configured-too"));

        Assert.Equal(_node.GetUtcNow() + Margin, seen);
        Assert.Equal(_node.GetUtcNow() + Skew, unseen);
        Assert.Single(_logs.Lines, line => line.Contains("configured-too", StringComparison.Ordinal));
    }

    [Fact]
    public void NotBefore_IsNeverFurtherAheadThanTheSkew()
    {
        Check(Issuer, Skew, TimeSpan.Zero, TimeSpan.Zero); // the furthest ahead a check accepts

        var (notBefore, _) = _notBefore.Next(Issuer, Validation(Issuer));

        Assert.Equal(_node.GetUtcNow() + Skew, notBefore);
    }

    /// <summary>
    /// The window the guarantee leaves: when the freshest token of the window reached the node late
    /// (here 3 s after it was minted, at the end of its issuer's second), the estimate falls short by
    /// 3.999 s, and tokens minted in the last 3.999 − 1.5 s before the logout are not revoked.
    /// </summary>
    [Fact]
    public void OnlyALateSample_LeavesTheTokensOfItsShortfallLessTheMarginAccepted()
    {
        var ahead = TimeSpan.FromSeconds(10);
        Check(Issuer, ahead, TimeSpan.FromMilliseconds(999), latency: TimeSpan.FromSeconds(3));
        _node.Advance(TimeSpan.FromMinutes(1));
        MoveTo(TimeSpan.Zero, ahead);
        var logoutAt = _node.GetUtcNow();

        var rule = new SubjectStatus(_notBefore.Next(Issuer, Validation(Issuer)).NotBefore);

        Assert.False(rule.Revokes(IssuedAt(logoutAt - TimeSpan.FromMilliseconds(1), ahead)));
        Assert.False(rule.Revokes(IssuedAt(logoutAt - TimeSpan.FromSeconds(2), ahead)));
        Assert.True(rule.Revokes(IssuedAt(logoutAt - TimeSpan.FromSeconds(3), ahead)));
    }
}
