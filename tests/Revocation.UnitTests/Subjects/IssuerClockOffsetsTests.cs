using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Revocation.AspNetCore.IssuerClocks;

namespace Revocation.UnitTests.Subjects;

/// <summary>
/// What an API node learns about its issuers' clocks from the tokens it checks: the largest
/// <c>iat</c> minus arrival of a sliding window, per issuer, on a clock that moves only when a test moves it.
/// </summary>
public sealed class IssuerClockOffsetsTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    // Midday: a whole number of half-windows since the clock's origin, so bucket edges are known.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private IssuerClockOffsets Offsets() => new(_clock, Options.Create(new IssuerClockOptions { Window = Window }));

    /// <summary>Records a token of <paramref name="issuer"/> stamped <paramref name="sample"/> away from the node's now.</summary>
    private void Present(IssuerClockOffsets offsets, string issuer, TimeSpan sample) =>
        offsets.Record(issuer, _clock.GetUtcNow() + sample, Skew);

    [Fact]
    public void Offset_WithoutASample_IsUnknown()
    {
        var offsets = Offsets();

        Assert.Null(offsets.Offset("issuer"));
        Assert.Empty(offsets.Issuers);
    }

    [Fact]
    public void Offset_IsTheLargestSampleOfTheWindow()
    {
        var offsets = Offsets();

        Present(offsets, "issuer", TimeSpan.FromSeconds(7));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Present(offsets, "issuer", TimeSpan.FromSeconds(9.5));
        _clock.Advance(TimeSpan.FromMinutes(4));
        Present(offsets, "issuer", TimeSpan.FromSeconds(-120)); // an old token presented late says little

        Assert.Equal(TimeSpan.FromSeconds(9.5), offsets.Offset("issuer"));
        Assert.Equal(["issuer"], offsets.Issuers);
    }

    [Theory]
    [InlineData(0L)] // at the start of a half-window bucket
    [InlineData(1_500_000_000L)] // half-way through it (2.5 min)
    [InlineData(2_999_999_999L)] // at its last tick
    public void Sample_CountsForAtLeastHalfTheWindow_AndNeverLongerThanTheWindow(long ticksIntoTheBucket)
    {
        var offsets = Offsets();
        _clock.Advance(TimeSpan.FromTicks(ticksIntoTheBucket));
        var recordedAt = _clock.GetUtcNow();
        Present(offsets, "issuer", TimeSpan.FromSeconds(3));

        _clock.SetUtcNow(recordedAt + Window / 2);
        Assert.Equal(TimeSpan.FromSeconds(3), offsets.Offset("issuer"));

        _clock.SetUtcNow(recordedAt + Window);
        Assert.Null(offsets.Offset("issuer"));
        Assert.Empty(offsets.Issuers);
    }

    [Fact]
    public void LargerOldSample_GivesWayToSmallerNewOnes_WhenItLeavesTheWindow()
    {
        var offsets = Offsets();
        Present(offsets, "issuer", TimeSpan.FromSeconds(9)); // e.g. before the issuer's clock was stepped back

        _clock.Advance(Window / 2);
        Present(offsets, "issuer", TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(9), offsets.Offset("issuer"));

        _clock.Advance(Window / 2);
        Present(offsets, "issuer", TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), offsets.Offset("issuer"));
    }

    [Fact]
    public void SeveralIssuers_AreKeptApart()
    {
        var offsets = Offsets();

        // Alternating, so that the entry kept for the last issuer changes on every check.
        for (var i = 0; i < 3; i++)
        {
            Present(offsets, "ahead", TimeSpan.FromSeconds(10 - i));
            Present(offsets, new string("behind".AsSpan()), TimeSpan.FromSeconds(-10 - i)); // equal, not the same string
            Present(offsets, "level", TimeSpan.FromMilliseconds(-300));
        }

        Assert.Equal(TimeSpan.FromSeconds(10), offsets.Offset("ahead"));
        Assert.Equal(TimeSpan.FromSeconds(-10), offsets.Offset("behind"));
        Assert.Equal(TimeSpan.FromMilliseconds(-300), offsets.Offset("level"));
        Assert.Null(offsets.Offset("AHEAD")); // issuers are compared as they are written
        Assert.Equal(["ahead", "behind", "level"], offsets.Issuers.Order());
    }

    [Fact]
    public void SampleFurtherAheadThanTheSkew_IsDropped()
    {
        var offsets = Offsets();

        Present(offsets, "issuer", Skew + TimeSpan.FromTicks(1)); // refused by the check anyway
        Assert.Null(offsets.Offset("issuer"));

        Present(offsets, "issuer", Skew);
        Assert.Equal(Skew, offsets.Offset("issuer"));
    }

    [Fact]
    public void IssuersPastTheCap_GetNoEstimate_AndTheOthersKeepTheirs()
    {
        var offsets = Offsets();
        for (var i = 0; i < IssuerClockOffsets.MaxIssuers; i++)
        {
            Present(offsets, $"issuer-{i}", TimeSpan.FromSeconds(1));
        }

        Present(offsets, "one-too-many", TimeSpan.FromSeconds(1));

        Assert.Null(offsets.Offset("one-too-many"));
        Assert.Equal(TimeSpan.FromSeconds(1), offsets.Offset("issuer-0"));
        Assert.Equal(IssuerClockOffsets.MaxIssuers, offsets.Issuers.Count());
    }

    [Fact]
    public void Record_OfAKnownIssuer_AllocatesNothing()
    {
        var offsets = Offsets();
        var issuedAt = _clock.GetUtcNow() + TimeSpan.FromSeconds(5);
        var sameIssuer = new string("issuer".AsSpan()); // each token carries its own copy of the string
        offsets.Record("issuer", issuedAt, Skew);
        offsets.Record(sameIssuer, issuedAt, Skew); // warm: every path of the common case has run

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            offsets.Record(i % 2 == 0 ? "issuer" : sameIssuer, issuedAt - TimeSpan.FromTicks(i), Skew);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
