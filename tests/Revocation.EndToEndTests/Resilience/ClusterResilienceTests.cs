using System.Globalization;
using System.Net;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Resilience;

/// <summary>
/// A silo crash, a rolling restart and a scale-out, each under a steady load of checks over two
/// API nodes: what an operator lives through. Measurements go to <see cref="ClusterReport"/>.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class ClusterResilienceTests(ITestOutputHelper output)
{
    /// <summary>How long the load goes on after the kill: the crash is detected well within it (benchmarks/failure-detection.md).</summary>
    private static readonly TimeSpan AfterTheKill = TimeSpan.FromSeconds(16);

    [Fact]
    public async Task KillingTheBusiestSilo_LosesNoRevocation_AndFailsNoCheck()
    {
        // A grain that lived on the killed silo answers again once the crash is detected and it
        // reactivates elsewhere: a check sent right at the kill waits for the detection (1.3–2.4 s
        // here, 2.1 s once in CI) plus the activation — past the default 2 s check budget on a slow
        // machine. The budget is the operator's to set above the detection window
        // (docs/operations.md, "Failure detection"); the promise tested is that no check fails.
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["RevocationCheck__Timeout"] = "00:00:05",
        });
        var revoked = await nodes.RevokedTokensAsync(100);
        await using var load = nodes.SteadyLoad(live: 400, revoked);

        // The steady load's tokens are soon answered from the near caches; these are not: every
        // request presents a token never seen before, so its check needs a grain (a new activation,
        // on either silo) — what a crash can actually fail.
        await using var misses = CheckLoad.Start(nodes.ApiUris, _ => new LoadToken(nodes.Mint(), 200), workers: 2);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var (victim, active) = await nodes.BusiestSiloAsync(2);
        var killedAt = load.Elapsed;
        var missesKilledAt = misses.Elapsed;
        nodes.Cluster.KillSilo(victim);

        // Revocations attempted while the cluster is still detecting the crash: some may be
        // refused (503), but every acknowledged one must hold.
        var acknowledged = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var token = nodes.Mint();
            if (await nodes.LogoutAsync(i % 2, token) == HttpStatusCode.NoContent)
            {
                acknowledged.Add(token);
            }

            await Task.Delay(100);
        }

        await load.RunUntilAsync(killedAt + AfterTheKill);
        var cached = await load.StopAsync();
        var missed = (await misses.StopAsync()).Select(r => r with { At = r.At + (killedAt - missesKilledAt) }).ToList();
        var results = cached.Concat(missed).OrderBy(r => r.At).ToList();

        foreach (var token in revoked.Concat(acknowledged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await nodes.MeAsync(0, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await nodes.MeAsync(1, token));
        }

        var failures = results.Where(r => r.Failed).ToList();
        var recovery = failures.Count == 0 ? TimeSpan.Zero : failures[^1].At - killedAt;
        var duringDetection = results.Where(r => r.At > killedAt && r.At < killedAt + AfterTheKill / 2).ToList();
        Report(nameof(KillingTheBusiestSilo_LosesNoRevocation_AndFailsNoCheck),
            $"killed silo {victim} (active token grains per silo: {string.Join('/', active)}); {results.Count} checks: {ClusterReport.Statuses(results)}, " +
            $"of them {missed.Count} of never-seen tokens ({missed.Count(r => r.At > killedAt && r.At < killedAt + TimeSpan.FromSeconds(3))} in the 3 s after the kill, longest {missed.Max(r => r.Took).TotalMilliseconds:F0} ms); " +
            $"{failures.Count} failed, first {Offset(failures.FirstOrDefault().At, killedAt, failures.Count)} last {Offset(recovery)} after the kill; " +
            $"longest check {results.Max(r => r.Took).TotalMilliseconds:F0} ms; revocations acknowledged during detection: {acknowledged.Count}/40, all still rejected");

        // A check whose silo died is retried within RevocationCheck:Timeout on the grain's new
        // activation (CheckCallRetry): no request fails, during the detection or after it.
        Assert.DoesNotContain(results, r => r.StaleAccept);
        ClusterReport.AssertNoFailedCheck(results, nodes.Cluster);
        // New-token checks answered during the detection half: they stall until the crash is
        // detected (1.3–2.4 s here, 4.2 s once in CI with only two workers sending them), then flow.
        var missedDuringDetection = missed.Count(r => r.At > killedAt && r.At < killedAt + AfterTheKill / 2);
        Assert.True(missedDuringDetection > 50, $"Only {missedDuringDetection} checks of new tokens were answered in the {AfterTheKill / 2} after the kill: too few to tell anything.");
        Assert.True(duringDetection.Count > 1000, $"Only {duringDetection.Count} checks were answered in the {AfterTheKill / 2} after the kill: the load did not go on through the crash.");
        Assert.Contains(results, r => r.At > killedAt + AfterTheKill - TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RollingRestartOfEverySilo_FailsNoRequest()
    {
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2);
        await using var load = nodes.SteadyLoad(live: 300, await nodes.RevokedTokensAsync(50));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var restarts = new List<string>();
        for (var silo = 0; silo < 2; silo++)
        {
            var started = load.Elapsed;
            await nodes.Cluster.RestartSiloAsync(silo);
            restarts.Add($"silo {silo} {Offset(started)}–{Offset(load.Elapsed)}");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        var results = await load.StopAsync();

        var failures = results.Where(r => r.Failed).ToList();
        Report(nameof(RollingRestartOfEverySilo_FailsNoRequest),
            $"restarted {string.Join(", ", restarts)}; {results.Count} checks: {ClusterReport.Statuses(results)}; {failures.Count} failed" +
            (failures.Count > 0 ? $" at {string.Join(", ", failures.Take(10).Select(f => $"{Offset(f.At)}→{f.Status}"))}" : ""));

        Assert.DoesNotContain(results, r => r.StaleAccept);
        ClusterReport.AssertNoFailedCheck(results, nodes.Cluster);
    }

    [Fact]
    public async Task AddingASiloUnderLoad_NewActivationsLandOnIt_AndNoRequestFails()
    {
        // When the new silo becomes active, the directory ranges it takes over are locked until
        // their entries arrive from the previous owners, and a new activation in them waits for
        // that handoff: 1.2–2.1 s here with the machine saturated by this load, 2.3 s once in CI —
        // past the default 2 s check budget. The budget is the operator's to set above the handoff
        // (docs/operations.md, "Adding silos"); the promise tested is that no check fails. The
        // statement timeout goes up with it: in CI a check failed in 1.85 s (within its budget, so
        // an error from the silo) while the joining silo's start saturated the machine for 17 s —
        // most likely a first read past the 1 s default.
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["RevocationCheck__Timeout"] = "00:00:05",
            ["Database__CommandTimeout"] = "00:00:03",
        });

        // Every request presents a token never seen before: each one is a new activation.
        await using var load = CheckLoad.Start(nodes.ApiUris, _ => new LoadToken(nodes.Mint(), 200));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = await ActivationsAsync(nodes, silos: 2);
        var joinStarted = load.Elapsed;
        await nodes.Cluster.AddSiloAsync();
        var joined = load.Elapsed;
        var added = await ActivationsAsync(nodes, silos: 3);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var after = await ActivationsAsync(nodes, silos: 3);
        var results = await load.StopAsync();

        var sinceJoin = Enumerable.Range(0, 3).Select(i => after[i] - added[i]).ToArray();
        Report(nameof(AddingASiloUnderLoad_NewActivationsLandOnIt_AndNoRequestFails),
            $"token grain activations per silo before the join {string.Join('/', before)}, in the 8 s after it {string.Join('/', sinceJoin)} " +
            $"(new silo: {sinceJoin[2] / Math.Max(1, sinceJoin.Sum()):P0}); {results.Count} checks: {ClusterReport.Statuses(results)}; " +
            $"join {Offset(joinStarted)}–{Offset(joined)}; slowest checks (sent at → took, status): " +
            string.Join(", ", results.OrderByDescending(r => r.Took).Take(5).Select(r => $"{Offset(r.At - r.Took)} → {r.Took.TotalMilliseconds:F0} ms, {r.Status}")));

        // Placement is random among compatible silos: the new one should get about a third of the
        // new activations; less than a sixth means it is not really taking part.
        var share = sinceJoin[2] / Math.Max(1, sinceJoin.Sum());
        Assert.True(share >= 1.0 / 6, $"The new silo received {share:P0} of the activations after it joined ({string.Join('/', sinceJoin)}).");
        ClusterReport.AssertNoFailedCheck(results, nodes.Cluster);
    }

    private static async Task<double[]> ActivationsAsync(ClusterNodes nodes, int silos) =>
        await Task.WhenAll(Enumerable.Range(0, silos).Select(i => nodes.Cluster.SiloMetricAsync(i, "revocation_token_grain_activations_total")));

    private static string Offset(TimeSpan at, TimeSpan since = default, int present = 1) =>
        present == 0 ? "-" : ((at - since).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
