using Microsoft.Extensions.Time.Testing;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// Two silos whose registry code reads <see cref="Clock"/>, a clock that moves only when a test
/// moves it. Tests in the collection run one at a time; each takes its instants from
/// <c>Clock.GetUtcNow()</c> when it starts, since the tests before it moved the clock on.
/// </summary>
public sealed class FakeClockCluster() : RegistryCluster(2, new Dictionary<string, string?> { ["Sweeper:DueTime"] = "01:00:00" })
{
    public FakeTimeProvider Clock { get; } = TestClock.Create();

    protected override TimeProvider SiloClock => Clock;

    protected override Task AfterStartAsync() => Clock.PassLeaseStartAsync(Client);
}

[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockCluster>
{
    public const string Name = "fake-clock registry cluster";
}
