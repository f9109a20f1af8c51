using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Rejuvenation;

/// <summary>
/// Silos recycling themselves (Rejuvenation:*) in a real process cluster supervised by
/// scripts/cluster.sh, by age under a steady check load (the turn tests: RecycleTurnTests).
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed partial class RecycleUnderLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MaxLifetimeUnderLoad_RecyclesEverySiloOneAtATime_AndFailsNoCheck()
    {
        await using var nodes = await ClusterNodes.UpAsync(silos: 3, apis: 2, RecyclingSilos.Settings(new()
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
        while (load.Elapsed < TimeSpan.FromMinutes(2) && !Enumerable.Range(0, 3).All(i => RecyclingSilos.RecycledExits(nodes.Cluster, i) >= 1))
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
        var recycles = Enumerable.Range(0, 3).Select(i => RecyclingSilos.RecycledExits(nodes.Cluster, i)).ToArray();
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

    /// <summary>The waits for a turn every silo logged when it recycled, e.g. "0.0/4.1/12.3 s".</summary>
    private static string TurnWaits(LocalCluster cluster) =>
        string.Join('/', Enumerable.Range(0, 3)
            .SelectMany(i => WaitedForTurn().Matches(cluster.ReadLog($"silo-{i}.log")).Select(m => TimeSpan.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).TotalSeconds))
            .Order()
            .Select(s => s.ToString("0.0", CultureInfo.InvariantCulture))) + " s";

    [GeneratedRegex(@"Recycling silo \S+: reason \w+, process age \S+, memory \d+ bytes, waited (\S+) for the turn")]
    private static partial Regex WaitedForTurn();

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
