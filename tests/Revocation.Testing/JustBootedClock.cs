using System.Diagnostics;

namespace Revocation.Testing;

/// <summary>
/// Real time, read as on a host that booted a moment ago: <see cref="GetTimestamp"/> counts from
/// this clock's creation, as the monotonic clock (.NET's <see cref="Stopwatch"/>, Linux's
/// <c>CLOCK_MONOTONIC</c>) counts from the host's boot. A freshly started node on a freshly booted
/// machine (a new Kubernetes node, a scaled-out VM) sees timestamps this small; code that takes
/// timestamp 0 for "long ago" takes it for "just now" there. Wall-clock time and timers are the
/// system's.
/// </summary>
public sealed class JustBootedClock : TimeProvider
{
    private readonly long _bootedAt = Stopwatch.GetTimestamp();

    public override long GetTimestamp() => Stopwatch.GetTimestamp() - _bootedAt;

    public override long TimestampFrequency => Stopwatch.Frequency;
}
