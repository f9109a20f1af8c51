using Microsoft.Extensions.Time.Testing;

namespace Revocation.UnitTests.NearCache;

/// <summary>
/// A fake clock whose two readings can disagree as real ones do: <see cref="Suspend"/> moves the wall
/// clock only (CLOCK_MONOTONIC stands still across a system suspend or a VM pause), and
/// <see cref="StepWallClock"/> sets the wall clock alone forward or back (an NTP step).
/// </summary>
public sealed class SuspendableClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _time = new(start);
    private long _monotonicLag;
    private TimeSpan _wallStep;

    public override long TimestampFrequency => _time.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow() + _wallStep;

    public override long GetTimestamp() => _time.GetTimestamp() - _monotonicLag;

    /// <summary>Both clocks move on by <paramref name="duration"/>.</summary>
    public void Advance(TimeSpan duration) => _time.Advance(duration);

    /// <summary>The machine sleeps for <paramref name="duration"/>: wall time passes, monotonic time does not.</summary>
    public void Suspend(TimeSpan duration)
    {
        _time.Advance(duration);
        _monotonicLag += (long)(duration.TotalSeconds * TimestampFrequency);
    }

    /// <summary>The wall clock is set forward or back by <paramref name="step"/>; monotonic time does not move.</summary>
    public void StepWallClock(TimeSpan step) => _wallStep += step;
}
