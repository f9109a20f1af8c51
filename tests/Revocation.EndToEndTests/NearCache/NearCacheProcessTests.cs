using System.Diagnostics;
using System.Net;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.NearCache;

/// <summary>
/// The near cache's failure paths over real processes: every silo paused under a node with a warm
/// cache, and the silo holding the node list killed while revocations are made (an API node paused
/// or suspended while a revocation is made: <see cref="Suspend.SuspendedNodeProcessTests"/>).
/// Leases last 5 s (the default).
/// </summary>
[StartEarly]
public sealed class NearCacheProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task EverySiloPaused_NodesStopServingCachedAnswersWithinALease_AndRecoverWhenTheyResume()
    {
        // Three lease partitions: every one of them is lost with the silos.
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["REGISTRY_API_1_SETTINGS"] = "RevocationCheck__FailurePolicy=FailOpen",
            ["NodeLeases__Partitions"] = "3",
            ["RevocationCheck__NearCache__LeasePartitions"] = "3",
        });
        await nodes.WaitForLeasesAsync();
        var token = nodes.Mint();
        Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(0, token));
        Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(1, token));

        var probes = new List<(TimeSpan Sent, HttpStatusCode Closed, HttpStatusCode Open)>();
        var clock = Stopwatch.StartNew();
        nodes.Cluster.Signal("silo", 0, "STOP");
        nodes.Cluster.Signal("silo", 1, "STOP");
        try
        {
            while (clock.Elapsed < Lease + TimeSpan.FromSeconds(4))
            {
                var sent = clock.Elapsed;
                var (closed, open) = (nodes.MeAsync(0, token), nodes.MeAsync(1, token));
                probes.Add((sent, await closed, await open));
                await Task.Delay(200);
            }
        }
        finally
        {
            nodes.Cluster.Signal("silo", 0, "CONT");
            nodes.Cluster.Signal("silo", 1, "CONT");
        }

        var recovered = Stopwatch.StartNew();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), async () => await nodes.MeAsync(0, token) == HttpStatusCode.OK);
        var lastCachedAnswer = probes.Where(p => p.Closed == HttpStatusCode.OK).Select(p => p.Sent).DefaultIfEmpty().Max();
        var firstRefusal = probes.FirstOrDefault(p => p.Closed == HttpStatusCode.ServiceUnavailable).Sent;
        Report(nameof(EverySiloPaused_NodesStopServingCachedAnswersWithinALease_AndRecoverWhenTheyResume),
            $"silos paused: FailClosed node answered from its cache until {lastCachedAnswer.TotalSeconds:F2} s, first 503 for a request sent at {firstRefusal.TotalSeconds:F2} s; " +
            $"FailOpen node: {string.Join(' ', probes.GroupBy(p => p.Open).Select(g => $"{(int)g.Key}×{g.Count()}"))}; recovered {recovered.Elapsed.TotalSeconds:F1} s after SIGCONT; " +
            $"FailClosed node, request sent at → status: {string.Join(", ", probes.Select(p => $"{p.Sent.TotalSeconds:F1}→{(int)p.Closed}"))}");

        Assert.All(probes, p => Assert.True(p.Closed is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{p.Closed} for a request sent at {p.Sent}"));
        Assert.All(probes.Where(p => p.Sent > Lease), p => Assert.Equal(HttpStatusCode.ServiceUnavailable, p.Closed));
        Assert.Contains(probes, p => p.Closed == HttpStatusCode.ServiceUnavailable);
        Assert.All(probes, p => Assert.Equal(HttpStatusCode.OK, p.Open));
    }

    [Fact]
    public async Task SiloHoldingTheNodeListKilled_WhileRevoking_EveryAcknowledgedRevocationIsRejectedEverywhere()
    {
        // Two lease partitions: the silo killed holds one of them, or both.
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["NodeLeases__Partitions"] = "2",
            ["RevocationCheck__NearCache__LeasePartitions"] = "2",
        });
        await nodes.WaitForLeasesAsync();
        var tokens = Enumerable.Range(0, 120).Select(_ => nodes.Mint()).ToList();
        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(0, token));
            Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(1, token));
        }

        var holder = await nodes.SiloHoldingTheNodeListAsync(2);
        using var scrape = new HttpClient();
        var partitionsHeld = PrometheusText.CountWithLabel(await scrape.GetStringAsync(new Uri(nodes.Cluster.SiloHttp(holder), "/metrics")), "revocation_node_leases_nodes", "partition");
        var acknowledged = new List<string>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null;
        var acknowledgedAfterTheKill = 0;
        foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
        {
            if (i == 20)
            {
                killedAt = clock.Elapsed;
                nodes.Cluster.KillSilo(holder);
            }

            if (i >= 20)
            {
                // Spread over ~8 s: past the crash's detection (1–2.5 s) and the new node list's first
                // lease (5 s), so that revocations are made in each phase, not all within the first.
                await Task.Delay(TimeSpan.FromMilliseconds(80));
            }

            if (await nodes.LogoutAsync(i % 2, token) == HttpStatusCode.NoContent)
            {
                acknowledged.Add(token);
                acknowledgedAfterTheKill += i >= 20 ? 1 : 0;
            }
            else
            {
                refused++;
            }
        }

        var stale = 0;
        foreach (var token in acknowledged)
        {
            stale += await nodes.MeAsync(0, token) == HttpStatusCode.Unauthorized ? 0 : 1;
            stale += await nodes.MeAsync(1, token) == HttpStatusCode.Unauthorized ? 0 : 1;
        }

        Report(nameof(SiloHoldingTheNodeListKilled_WhileRevoking_EveryAcknowledgedRevocationIsRejectedEverywhere),
            $"two lease partitions; killed silo {holder} (holding {partitionsHeld} of them) at {killedAt?.TotalSeconds:F1} s; {acknowledged.Count} of {tokens.Count} revocations acknowledged ({acknowledgedAfterTheKill} of the 100 made after the kill), {refused} refused (503), over {clock.Elapsed.TotalSeconds:F1} s; stale accepts afterwards: {stale}");

        Assert.Equal(0, stale);
        Assert.True(acknowledgedAfterTheKill > 0, $"no revocation made after the kill was acknowledged ({acknowledged.Count} in all): the node list did not come back");
    }

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
