using Microsoft.Extensions.Time.Testing;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// A fake clock that, while <see cref="TickPerReading"/> is on, moves one tick before every
/// timestamp it hands out: two readings in one turn of code are never equal, as on a real machine,
/// so what happens between them (a lease ending) shows.
/// </summary>
public sealed class TickingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private volatile bool _tickPerReading;

    public bool TickPerReading
    {
        get => _tickPerReading;
        set => _tickPerReading = value;
    }

    public override long GetTimestamp()
    {
        if (_tickPerReading)
        {
            Advance(TimeSpan.FromTicks(1));
        }

        return base.GetTimestamp();
    }
}
