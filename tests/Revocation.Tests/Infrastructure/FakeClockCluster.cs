using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.Tests.Infrastructure;

/// <summary>
/// Two silos whose registry code reads <see cref="Clock"/>, a clock that moves only when a test
/// moves it. Tests in the collection run one at a time; each takes its instants from
/// <c>Clock.GetUtcNow()</c> when it starts, since the tests before it moved the clock on.
/// </summary>
public sealed class FakeClockCluster() : RegistryCluster(2, new Dictionary<string, string?> { ["Sweeper:DueTime"] = "01:00:00" })
{
    public FakeTimeProvider Clock { get; } = TestClock.Create();

    protected override TimeProvider SiloClock => Clock;

    /// <summary>
    /// Right after the lease grain activates, a revocation waits one lease for leases an earlier
    /// activation may have granted; on this clock that wait would end only when a test moves it.
    /// </summary>
    protected override async Task AfterStartAsync()
    {
        await Client.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).ReleaseAsync(Guid.NewGuid(), Guid.NewGuid()); // activates it, changes nothing
        Clock.Advance(new NodeLeaseOptions().LeaseDuration);
    }
}

[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockCluster>
{
    public const string Name = "fake-clock registry cluster";
}
