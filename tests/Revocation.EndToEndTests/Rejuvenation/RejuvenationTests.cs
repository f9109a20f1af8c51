using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Rejuvenation;

/// <summary>
/// Silos recycling themselves (Rejuvenation:*) in a real process cluster supervised by
/// scripts/cluster.sh: by age under load, by memory, and with the turn holder killed.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed partial class RejuvenationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MaxLifetimeUnderLoad_RecyclesEverySiloOneAtATime_AndFailsNoCheck()
    {
        await using var nodes = await ClusterNodes.UpAsync(silos: 3, apis: 2, Settings(new()
        {
            ["Rejuvenation__MaxLifetime"] = "00:00:30",
            ["Rejuvenation__Jitter"] = "0.25",
            ["Rejuvenation__MinSilos"] = "2",
            ["Rejuvenation__TurnTimeout"] = "00:01:00",
        }));
        await using var readiness = new SiloReadiness(nodes.Cluster, 3);
        var revoked = await nodes.RevokedTokensAsync(50);
        await using var load = nodes.SteadyLoad(live: 300, revoked);

        // Revocations keep coming while silos recycle: each acknowledged one must hold.
        var acknowledged = new List<string>();
        var attempted = 0;
        var unanswered = 0;
        // Until every silo recycled (about 60 s: one at a time, each lifetime 22-30 s, counted from
        // the silo's start: shorter ones recycled silos under the setup's logouts on a loaded machine), or 2 minutes.
        while (load.Elapsed < TimeSpan.FromMinutes(2) && !Enumerable.Range(0, 3).All(i => RecycledExits(nodes.Cluster, i) >= 1))
        {
            var token = nodes.Mint();
            attempted++;
            try
            {
                if (await nodes.LogoutAsync(attempted % 2, token) == HttpStatusCode.NoContent)
                {
                    acknowledged.Add(token);
                }
            }
            catch (TaskCanceledException)
            {
                // No answer within the client's 10 s: not acknowledged, so nothing is promised.
                unanswered++;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var results = await load.StopAsync();
        foreach (var token in revoked.Concat(acknowledged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await nodes.MeAsync(0, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await nodes.MeAsync(1, token));
        }

        var turns = await RecycleTurnRow.ReadAllAsync(nodes.Cluster.ConnectionString);
        var recycles = Enumerable.Range(0, 3).Select(i => RecycledExits(nodes.Cluster, i)).ToArray();
        var failures = results.Where(r => r.Failed).ToList();
        Report(nameof(MaxLifetimeUnderLoad_RecyclesEverySiloOneAtATime_AndFailsNoCheck),
            $"recycles per silo (exit 75, restarted) {string.Join('/', recycles)}; turns {turns.Count}, waits {TurnWaits(nodes.Cluster)}; " +
            $"most silos down at once {readiness.MaxDownAtOnce()} ({readiness.Samples} samples; down: {readiness.DownPeriods()}); " +
            $"{results.Count} checks: {ClusterReport.Statuses(results)}; {failures.Count} failed; revocations acknowledged {acknowledged.Count}/{attempted} ({unanswered} unanswered within 10 s), all still rejected");

        Assert.All(recycles, count => Assert.True(count >= 1, $"A silo never recycled: {string.Join('/', recycles)}."));
        Assert.Equal(1, RecycleTurnRow.MaxOverlap(turns));
        Assert.Equal(1, readiness.MaxDownAtOnce());
        Assert.All(turns, turn => Assert.Equal("max_lifetime", turn.Reason));
        Assert.DoesNotContain(results, r => r.StaleAccept);
        ClusterReport.AssertNoFailedCheck(results, nodes.Cluster);
    }

    [Fact]
    public async Task MemoryOverTheLimit_RecyclesTheSilo()
    {
        // Any silo's resident memory is far above 64 MiB: the limit stands in for a leak.
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 1, Settings(new()
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
        await UntilAsync(TimeSpan.FromSeconds(60), async () => RecycledExits(nodes.Cluster, silo) > 0 && await Ready(nodes.Cluster, silo) ? "back" : null);
        var memory = MemoryAtRecycle().Match(nodes.Cluster.ReadLog($"silo-{silo}.log"));

        Report(nameof(MemoryOverTheLimit_RecyclesTheSilo),
            $"silo {silo} recycled for {first.Reason} {(first.GrantedAt - started).TotalSeconds:0.0} s after the cluster was up " +
            $"(resident memory {(memory.Success ? long.Parse(memory.Groups[1].Value, CultureInfo.InvariantCulture) / (1 << 20) : -1)} MiB, limit 64 MiB), exited 75 and is back");

        // The process that came back counts its predecessor's recycle (from recycle_turns): the
        // series does not start again from 0 at each restart.
        var counted = await UntilAsync(TimeSpan.FromSeconds(30), async () =>
        {
            var exits = RecycledExits(nodes.Cluster, silo);
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
        await using var nodes = await ClusterNodes.UpAsync(silos: 3, apis: 1, Settings(new()
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
        Assert.False(await Ready(nodes.Cluster, victim));
    }

    private static Dictionary<string, string> Settings(Dictionary<string, string> rejuvenation)
    {
        rejuvenation["Rejuvenation__CheckPeriod"] = "00:00:01";
        return rejuvenation;
    }

    /// <summary>Times the supervisor of silo <paramref name="silo"/> saw it exit with 75 (recycled) and started it again.</summary>
    private static int RecycledExits(LocalCluster cluster, int silo) =>
        Regex.Count(cluster.ReadLog($"supervisor-{silo}.log"), "recycled itself; starting it again");

    private static async Task<bool> Ready(LocalCluster cluster, int silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri(cluster.SiloHttp(silo), "/health/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The waits for a turn every silo logged when it recycled, e.g. "0.0/4.1/12.3 s".</summary>
    private static string TurnWaits(LocalCluster cluster) =>
        string.Join('/', Enumerable.Range(0, 3)
            .SelectMany(i => WaitedForTurn().Matches(cluster.ReadLog($"silo-{i}.log")).Select(m => TimeSpan.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).TotalSeconds))
            .Order()
            .Select(s => s.ToString("0.0", CultureInfo.InvariantCulture))) + " s";

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

    [GeneratedRegex(@"Recycling silo \S+: reason \w+, process age \S+, memory \d+ bytes, waited (\S+) for the turn")]
    private static partial Regex WaitedForTurn();

    [GeneratedRegex(@"exited with status (\d+)")]
    private static partial Regex ExitStatuses();

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
