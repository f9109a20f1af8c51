using Microsoft.Extensions.Time.Testing;
using Revocation.Grains.Leases;

namespace Revocation.UnitTests.NearCache;

/// <summary>The lease grain's waits end at a lease's end, never before it, although .NET's timed waits count whole milliseconds.</summary>
public sealed class TimerWaitsTests
{
    [Theory]
    [InlineData(1, 10_000)]
    [InlineData(10_000, 10_000)]
    [InlineData(10_001, 20_000)]
    [InlineData(50_000_000, 50_000_000)]
    [InlineData(0, 0)]
    [InlineData(-5, -5)]
    public void NotBefore_RoundsUpToTheNextWholeMillisecond(long ticks, long expected) =>
        Assert.Equal(TimeSpan.FromTicks(expected), TimerWaits.NotBefore(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData(1)]
    [InlineData(9_999)]
    [InlineData(15_000)]
    public void Delay_OfTheRoundedWait_HasNotEndedATickBeforeTheInstant(long ticks)
    {
        var clock = new FakeTimeProvider();
        var remaining = TimeSpan.FromTicks(ticks);

        var truncated = Task.Delay(remaining, clock);
        var rounded = Task.Delay(TimerWaits.NotBefore(remaining), clock);
        clock.Advance(remaining - TimeSpan.FromTicks(1));

        Assert.True(truncated.IsCompleted); // why the rounding exists: the plain wait ended early
        Assert.False(rounded.IsCompleted);
    }
}
