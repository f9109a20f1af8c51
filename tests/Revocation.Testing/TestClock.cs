using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.Testing;

/// <summary>
/// A fake clock for the registry's own time rules (expiry, <c>NotRevokedMaxAge</c>, leases, sweeper
/// grace): tests move it to the exact instant a rule changes its answer instead of waiting for it.
/// </summary>
public static class TestClock
{
    /// <summary>
    /// A clock standing still at <paramref name="start"/> (by default: the current second), on a
    /// whole second so that microsecond truncation (PostgreSQL's resolution) and one-second
    /// rounding (<c>iat</c>) land on known values.
    /// </summary>
    public static FakeTimeProvider Create(DateTimeOffset? start = null)
    {
        var at = start ?? DateTimeOffset.UtcNow;
        return new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// Right after the lease grain activates, a revocation waits one lease for leases an earlier
    /// activation may have granted; on a fake clock that wait would end only when a test moves it.
    /// This activates the grain (with a call that changes nothing) and moves the clock one lease on.
    /// </summary>
    public static async Task PassLeaseStartAsync(this FakeTimeProvider clock, IGrainFactory grains)
    {
        await grains.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).ReleaseAsync(Guid.NewGuid(), Guid.NewGuid());
        clock.Advance(new NodeLeaseOptions().LeaseDuration);
    }
}
