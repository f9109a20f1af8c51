using System.Globalization;
using System.Text.RegularExpressions;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Rejuvenation;

/// <summary>
/// The recycle turn in a real process cluster supervised by scripts/cluster.sh: a silo over its
/// memory limit recycles and comes back, and a turn whose holder is killed expires before another
/// silo gets one. These mostly wait on the turn's timers, so they run next to other tests.
/// </summary>
public sealed partial class RecycleTurnTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MemoryOverTheLimit_RecyclesTheSilo()
    {
        // Any silo's resident memory is far above 64 MiB: the limit stands in for a leak.
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 1, RecyclingSilos.Settings(new()
        {
            ["Rejuvenation__MemoryLimit"] = "64MiB",
            ["Rejuvenation__MemoryMinUptime"] = "00:00:15",
            ["Rejuvenation__MinSilos"] = "1",
        }));
        var started = DateTime.UtcNow;
        var turns = await UntilAsync(TimeSpan.FromSeconds(90), async () =>
        {
            var rows = await RecycleTurnRow.ReadAllAsync(nodes.Cluster.ConnectionString);
            return rows.Count > 0 ? rows : null;
        });
        var first = turns[0];
        var silo = first.Port - nodes.Cluster.BasePort;
        await UntilAsync(TimeSpan.FromSeconds(60), async () => RecyclingSilos.RecycledExits(nodes.Cluster, silo) > 0 && await RecyclingSilos.Ready(nodes.Cluster, silo) ? "back" : null);
        var memory = MemoryAtRecycle().Match(nodes.Cluster.ReadLog($"silo-{silo}.log"));

        Report(nameof(MemoryOverTheLimit_RecyclesTheSilo),
            $"silo {silo} recycled for {first.Reason} {(first.GrantedAt - started).TotalSeconds:0.0} s after the cluster was up " +
            $"(resident memory {(memory.Success ? long.Parse(memory.Groups[1].Value, CultureInfo.InvariantCulture) / (1 << 20) : -1)} MiB, limit 64 MiB), exited 75 and is back");

        // The process that came back counts its predecessor's recycle (from recycle_turns): the
        // series does not start again from 0 at each restart.
        var counted = await UntilAsync(TimeSpan.FromSeconds(30), async () =>
        {
            var exits = RecyclingSilos.RecycledExits(nodes.Cluster, silo);
            try
            {
                var metric = await nodes.Cluster.SiloMetricAsync(silo, "revocation_rejuvenation_recycles_total");
                return metric == exits ? $"{metric}" : null;
            }
            catch (HttpRequestException)
            {
                return null; // recycling again just now
            }
        });
        Assert.Equal("memory", first.Reason);
        Assert.True(memory.Success, "The silo's log has no recycling line.");
        Assert.NotEqual("0", counted);
        Assert.Equal(1, RecycleTurnRow.MaxOverlap(await RecycleTurnRow.ReadAllAsync(nodes.Cluster.ConnectionString)));
    }

    [Fact]
    public async Task TurnHolderKilled_AnotherSiloGetsATurnAfterItExpires_NeverTwoAtOnce()
    {
        var turnTimeout = TimeSpan.FromSeconds(15);
        await using var nodes = await ClusterNodes.UpAsync(silos: 3, apis: 1, RecyclingSilos.Settings(new()
        {
            ["Rejuvenation__MaxLifetime"] = "00:00:15",
            ["Rejuvenation__Jitter"] = "0",
            ["Rejuvenation__MinSilos"] = "1",
            ["Rejuvenation__TurnTimeout"] = turnTimeout.ToString("c", CultureInfo.InvariantCulture),
        }));
        await using var readiness = new SiloReadiness(nodes.Cluster, 3);

        // The first turn the coordinator grants: its holder is killed at once, in the middle of
        // its graceful stop (or, if that was quicker, its restarted process before it rejoins).
        var held = await UntilAsync(TimeSpan.FromSeconds(90), async () =>
            (await RecycleTurnRow.ReadAllAsync(nodes.Cluster.ConnectionString)).FirstOrDefault(t => t.ReleasedAt is null));
        var victim = held.Port - nodes.Cluster.BasePort;
        nodes.Cluster.KillSilo(victim);

        // Turns granted (and released) before the one seen held are not this test's: under load a
        // silo may have recycled while the cluster was still coming up.
        var next = await UntilAsync(turnTimeout + TimeSpan.FromSeconds(45), async () =>
            (await RecycleTurnRow.ReadAllAsync(nodes.Cluster.ConnectionString)).FirstOrDefault(t => t.Port != held.Port && t.GrantedAt > held.GrantedAt));
        var turns = await RecycleTurnRow.ReadAllAsync(nodes.Cluster.ConnectionString);
        var first = turns.First(t => t.Port == held.Port && t.GrantedAt == held.GrantedAt);
        var victimExits = ExitStatuses().Matches(nodes.Cluster.ReadLog($"supervisor-{victim}.log")).Select(m => m.Groups[1].Value).ToList();

        Report(nameof(TurnHolderKilled_AnotherSiloGetsATurnAfterItExpires_NeverTwoAtOnce),
            $"killed silo {victim} holding the turn granted at {first.GrantedAt:HH:mm:ss.fff} (supervisor saw exits {string.Join(",", victimExits)}; not restarted); " +
            $"its turn {first.ReleasedBecause} at {first.ReleasedAt:HH:mm:ss.fff}; silo {next.Port - nodes.Cluster.BasePort} got the next turn at {next.GrantedAt:HH:mm:ss.fff}, " +
            $"{(next.GrantedAt - first.GrantedAt).TotalSeconds:0.0} s after the first was granted (TurnTimeout {turnTimeout.TotalSeconds} s); " +
            $"most surviving silos down at once {readiness.MaxDownAtOnce(victim)}");

        Assert.Equal("expired", first.ReleasedBecause);
        Assert.True(next.GrantedAt >= first.ExpiresAt, "The next turn was granted before the killed holder's turn expired.");
        Assert.Equal(1, RecycleTurnRow.MaxOverlap(turns));
        Assert.True(readiness.MaxDownAtOnce(victim) <= 1);
        // kill -9 is not a recycle: the supervisor leaves the silo down.
        Assert.Equal("137", victimExits[^1]);
        Assert.False(await RecyclingSilos.Ready(nodes.Cluster, victim));
    }

    private static async Task<T> UntilAsync<T>(TimeSpan limit, Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Nothing happened within {limit}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    [GeneratedRegex(@"Recycling silo \S+: reason memory, process age \S+, memory (\d+) bytes")]
    private static partial Regex MemoryAtRecycle();

    [GeneratedRegex(@"exited with status (\d+)")]
    private static partial Regex ExitStatuses();

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
