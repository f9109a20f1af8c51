namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// One silo whose registry code reads a <see cref="JustBootedClock"/>: its monotonic timestamps
/// start near 0, as on a host booted less than <c>NotRevokedMaxAge</c> ago.
/// </summary>
public sealed class JustBootedCluster() : RegistryCluster(1, new Dictionary<string, string?> { ["Sweeper:DueTime"] = "01:00:00" })
{
    protected override TimeProvider SiloClock { get; } = new JustBootedClock();
}
