using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>
/// A cluster of its own for tests that hold a sweep in the database and start silos: nothing else
/// sweeps here (the reminder is an hour away) and no other test waits on its held rows.
/// </summary>
public sealed class LoneSweeperCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["Sweeper:DueTime"] = "01:00:00",
    ["Sweeper:BatchTimeout"] = "00:00:30", // a held sweep outlasts a silo start on a busy machine
});
