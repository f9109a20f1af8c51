namespace Revocation.Grains.Leases;

/// <summary>
/// .NET's timed waits (<c>Task.Delay</c> and <c>WaitAsync</c>, with any <see cref="TimeProvider"/>)
/// count whole milliseconds and drop the rest: a wait of 0.9 ms ends at once. A wait that must not
/// end before an instant (a lease's end) asks for the next whole millisecond instead.
/// </summary>
internal static class TimerWaits
{
    public static TimeSpan NotBefore(TimeSpan remaining) => remaining <= TimeSpan.Zero
        ? remaining
        : TimeSpan.FromTicks((remaining.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
}
