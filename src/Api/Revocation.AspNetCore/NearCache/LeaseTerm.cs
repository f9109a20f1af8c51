namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// When this node's lease ends, on both of its clocks. The monotonic end is immune to wall-clock
/// steps; the wall-clock end catches what the monotonic clock misses: Linux's CLOCK_MONOTONIC (behind
/// <see cref="TimeProvider.GetTimestamp"/>) stands still across a system suspend, a VM pause or a
/// checkpoint/restore, so after such a stop only the wall clock shows that the lease ran out. The
/// lease holds while neither end has passed.
/// </summary>
/// <param name="EndsAt">A <see cref="TimeProvider"/> timestamp.</param>
/// <param name="EndsAtUtcTicks">The same instant on the wall clock, in UTC ticks.</param>
internal sealed record LeaseTerm(long EndsAt, long EndsAtUtcTicks)
{
    /// <summary>A lease of <paramref name="duration"/> counted from a renewal sent at <paramref name="sentAt"/> (monotonic) and <paramref name="sentAtUtc"/> (wall).</summary>
    public static LeaseTerm From(TimeProvider time, long sentAt, DateTimeOffset sentAtUtc, TimeSpan duration) =>
        new(time.After(sentAt, duration), duration >= DateTimeOffset.MaxValue - sentAtUtc ? long.MaxValue : (sentAtUtc + duration).UtcTicks);

    /// <summary>Whether the lease still holds at <paramref name="now"/> (monotonic) and <paramref name="utcNowTicks"/> (wall).</summary>
    public bool HoldsAt(long now, long utcNowTicks) => now < EndsAt && utcNowTicks < EndsAtUtcTicks;

    /// <summary>No lease: holds at no instant.</summary>
    public static LeaseTerm None { get; } = new(long.MinValue, long.MinValue);
}
