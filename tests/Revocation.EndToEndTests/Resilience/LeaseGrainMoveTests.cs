using System.Globalization;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Resilience;

/// <summary>
/// The lease grain moved under load: kill -9 of the silo holding the API nodes' list while both
/// nodes answer a load from warm near caches, well above what the grains alone serve. No check may
/// fail (promise 9), and a node whose lease never lapsed keeps its cache across the move
/// (a <c>continued</c> renewal) instead of sending the whole load to the grains. Leases of 5 s (the
/// default), three silos: most token grains survive, and so does the cluster's majority.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class LeaseGrainMoveTests(ITestOutputHelper output)
{
    private const int Silos = 3;

    /// <summary>Tokens in the load; odd with the revoked ones, so every token reaches both nodes.</summary>
    private const int LiveTokens = 1001;

    private const int RevokedTokens = 100;

    private static readonly TimeSpan BeforeTheKill = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan AfterTheKill = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task KillingTheSiloHoldingTheNodeList_UnderLoad_FailsNoCheck_AndANodeKeepsItsCache()
    {
        await using var nodes = await ClusterNodes.UpAsync(silos: Silos, apis: 2);
        await nodes.WaitForLeasesAsync();
        var revoked = await nodes.RevokedTokensAsync(RevokedTokens);
        LoadToken[] pool =
        [
            .. Enumerable.Range(0, LiveTokens).Select(_ => new LoadToken(nodes.Mint(), 200))
                .Concat(revoked.Select(t => new LoadToken(t, 401)))
                .OrderBy(_ => Random.Shared.Next()),
        ];

        // Requests 2k and 2k+1 carry token k to node 0 and node 1: the first pass over the pool is
        // all misses, answered by the grains; every later check can be answered from a near cache.
        var cold = await nodes.ColdPassAsync(pool);
        await using var load = CheckLoad.Start(nodes.ApiUris, n => pool[n / 2 % pool.Length]);
        await load.RunUntilAsync(BeforeTheKill);
        var before = await nodes.ApiMetricsAsync();
        var holder = await nodes.SiloHoldingTheNodeListAsync(Silos);
        var killedAt = load.Elapsed;
        var killedUtc = DateTimeOffset.UtcNow;
        nodes.Cluster.KillSilo(holder);
        await load.RunUntilAsync(killedAt + AfterTheKill);
        var results = await load.StopAsync();
        var after = await nodes.ApiMetricsAsync();

        var seconds = Enumerable.Range(-(int)BeforeTheKill.TotalSeconds + 1, (int)(BeforeTheKill + AfterTheKill).TotalSeconds - 1)
            .Select(s => (Second: s, Checks: results.Where(r => (int)Math.Floor((r.At - killedAt).TotalSeconds) == s).ToList()))
            .ToList();
        var failures = results.Where(r => r.Failed).ToList();
        var continued = Delta(before, after, "revocation_near_cache_lease_renewals_total", ("result", "continued"));
        var newLeases = Delta(before, after, "revocation_near_cache_lease_renewals_total", ("result", "new_lease"));
        var failedRenewals = Delta(before, after, "revocation_near_cache_lease_renewals_total", ("result", "failed"));
        var misses = Delta(before, after, "revocation_near_cache_lookups_total", ("result", "miss"));
        var hits = Delta(before, after, "revocation_near_cache_lookups_total", ("result", "hit"));
        var warm = results.Where(r => r.At < killedAt).ToList();
        var reactivated = Enumerable.Range(0, Silos).Where(i => i != holder).SelectMany(i => LoggedSince(nodes.Cluster.ReadLog($"silo-{i}.log"), "NodeLeaseGrain[1301]", killedUtc));
        var continuedLogged = Enumerable.Range(0, 2).SelectMany(i => LoggedSince(nodes.Cluster.ReadLog($"api-{i}.log"), "NodeLease[3104]", killedUtc));
        Report(nameof(KillingTheSiloHoldingTheNodeList_UnderLoad_FailsNoCheck_AndANodeKeepsItsCache),
            $"{Silos} silos, 2 API nodes, {pool.Length} tokens ({RevokedTokens} revoked), 8 workers; cold pass (every check a miss, grains): " +
            $"{cold.Count} checks in {cold.Took.TotalSeconds:F1} s = {cold.Count / cold.Took.TotalSeconds:F0}/s, {cold.Failed} failed; " +
            $"warm load before the kill {warm.Count / killedAt.TotalSeconds:F0}/s; killed silo {holder} (the node list) at {killedAt.TotalSeconds:F1} s; " +
            $"{results.Count} checks ({ClusterReport.Statuses(results)}), {failures.Count} failed, {results.Count(r => r.StaleAccept)} stale; " +
            $"checks/s before/0–6 s/6–12 s after the kill {Rate(results, killedAt, -5, 0)}/{Rate(results, killedAt, 0, 6)}/{Rate(results, killedAt, 6, 12)}; " +
            $"longest check {Longest(results, killedAt, -5, 0)} before, {Longest(results, killedAt, 0, 12)} after; " +
            $"lease grain activated again {Offsets(reactivated)} after the kill, nodes' renewals continued at {Offsets(continuedLogged)}; " +
            $"from the kill on (node 0/node 1): near-cache misses {PerNode(misses)}, hits {PerNode(hits)}, renewals continued {PerNode(continued)}, new_lease {PerNode(newLeases)}, failed {PerNode(failedRenewals)}; " +
            $"per second from the kill (checks, failed, longest ms): {string.Join(' ', seconds.Select(s => $"{s.Second}:{s.Checks.Count}/{s.Checks.Count(c => c.Failed)}/{(s.Checks.Count == 0 ? 0 : s.Checks.Max(c => c.Took).TotalMilliseconds):F0}"))}" +
            (failures.Count > 0 ? $"; failed at {string.Join(", ", failures.Take(10).Select(f => $"{(f.At - killedAt).TotalSeconds:F2} s→{f.Status}"))}" : ""));

        Assert.Equal(0, cold.Failed);
        ClusterReport.AssertNoFailedCheck(results, nodes.Cluster);
        Assert.DoesNotContain(results, r => r.StaleAccept);
        Assert.True(continued.Any(n => n >= 1),
            $"No node kept its lease across the move (renewals continued {PerNode(continued)}, new_lease {PerNode(newLeases)}, failed {PerNode(failedRenewals)}).");
        Assert.Contains(results, r => r.At > killedAt + AfterTheKill - TimeSpan.FromSeconds(1));
    }

    /// <summary>How long after <paramref name="since"/> each log line holding <paramref name="marker"/> was written (lines start with a UTC timestamp).</summary>
    private static IEnumerable<TimeSpan> LoggedSince(string log, string marker, DateTimeOffset since) =>
        log.Split('\n')
            .Where(line => line.Contains(marker, StringComparison.Ordinal))
            .Select(line => DateTimeOffset.TryParse(line.Split(' ')[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - since : TimeSpan.MinValue)
            .Where(after => after >= TimeSpan.Zero);

    private static string Offsets(IEnumerable<TimeSpan> offsets) =>
        string.Join(", ", offsets.Order().Select(o => o.TotalSeconds.ToString("+0.00 s", CultureInfo.InvariantCulture))) is { Length: > 0 } text ? text : "(not logged)";

    /// <summary>How much a counter grew on each API node.</summary>
    private static double[] Delta(MetricsScrape[] before, MetricsScrape[] after, string name, (string Name, string Value) label) =>
        [.. before.Select((b, i) => after[i].Value(name, label) - b.Value(name, label))];

    /// <summary>One value per API node, e.g. "0/3".</summary>
    private static string PerNode(double[] values) => string.Join('/', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static string Rate(IReadOnlyList<CheckResult> results, TimeSpan killedAt, int from, int to) =>
        (results.Count(r => r.At >= killedAt + TimeSpan.FromSeconds(from) && r.At < killedAt + TimeSpan.FromSeconds(to)) / (double)(to - from)).ToString("F0", CultureInfo.InvariantCulture);

    private static string Longest(IReadOnlyList<CheckResult> results, TimeSpan killedAt, int from, int to) =>
        results.Where(r => r.At >= killedAt + TimeSpan.FromSeconds(from) && r.At < killedAt + TimeSpan.FromSeconds(to))
            .Select(r => r.Took.TotalMilliseconds).DefaultIfEmpty().Max().ToString("F0", CultureInfo.InvariantCulture) + " ms";

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
