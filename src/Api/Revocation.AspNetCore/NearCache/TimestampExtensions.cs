namespace Revocation.AspNetCore.NearCache;

/// <summary>Monotonic <see cref="TimeProvider"/> timestamps moved by a duration.</summary>
internal static class TimestampExtensions
{
    /// <summary>The timestamp <paramref name="duration"/> after <paramref name="timestamp"/>, saturating instead of overflowing.</summary>
    public static long After(this TimeProvider time, long timestamp, TimeSpan duration)
    {
        var delta = duration.TotalSeconds * time.TimestampFrequency;
        return delta >= long.MaxValue - (double)timestamp ? long.MaxValue : timestamp + (long)delta;
    }
}
