using System.Diagnostics;
using System.Net;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.NearCache;

/// <summary>
/// The race between checks in flight and a revocation, over real processes, hundreds of times:
/// token logouts and "log out everywhere", with the other API node's cache warm or cold, and now and
/// then that node paused (SIGSTOP) from before the logout until it returned. Whatever was in flight
/// may go either way; a check sent after the logout returned must be refused on either node
/// (promises 2 and 8). Leases of 1 s renewed every 200 ms keep a round with a paused node short.
/// </summary>
[StartEarly]
public sealed class RevocationRaceProcessTests(ITestOutputHelper output)
{
    private const int Iterations = 200;

    /// <summary>Checks each loop sends after the logout returned (and the paused node resumed) before it stops.</summary>
    private const int ChecksAfterTheLogout = 2;

    /// <summary>
    /// How long each loop checks back to back before it slows down to one check per
    /// <see cref="Paced"/> until the logout has returned: a logout that waits for a paused node's
    /// lease would otherwise run thousands of identical checks on a machine shared with other work.
    /// </summary>
    private static readonly TimeSpan BackToBack = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Paced = TimeSpan.FromMilliseconds(10);

    /// <summary>How long requests queued at the paused node wait there before it resumes.</summary>
    private static readonly TimeSpan QueuedAtThePausedNode = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task ChecksRacingLogouts_WithPausedNodes_NoCheckSentAfterALogoutReturnedIsAccepted()
    {
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["NodeLeases__LeaseDuration"] = "00:00:01",
            ["RevocationCheck__NearCache__RenewPeriod"] = "00:00:00.2",

            // Two lease partitions: a revocation returns only when both answered.
            ["NodeLeases__Partitions"] = "2",
            ["RevocationCheck__NearCache__LeasePartitions"] = "2",

            // Every "log out everywhere" lasts at least this margin (1.5 s by default); the race is
            // about the notice, not the issuers' clocks (LogoutEverywhereClockTests), and all tokens
            // here come from one clock, whose offset the nodes learn from the rounds' own checks.
            ["LogoutEverywhere__IssuerClockMargin"] = "00:00:00.2",
        });
        await nodes.WaitForLeasesAsync();
        var before = await nodes.ApiMetricsAsync();

        var clockStartedUtc = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var rounds = new List<RaceIteration>();
        for (var i = 0; i < Iterations; i++)
        {
            // Moduli 2, 3, 5 and 7 are coprime: every combination of logout node, kind, pause and cold comes up.
            rounds.Add(await RaceAsync(nodes, clock, i, logoutNode: i % 2, subject: i % 3 == 2, paused: i % 5 == 4, cold: i % 7 == 6));
        }

        var took = clock.Elapsed;
        var after = await nodes.ApiMetricsAsync();

        var checks = rounds.SelectMany(r => r.Checks).ToList();
        var stale = rounds.SelectMany(r => r.StaleAccepts.Select(c => r.Describe(c, clockStartedUtc))).ToList();
        var failed = rounds.SelectMany(r => r.Failures.Select(c => r.Describe(c, clockStartedUtc))).ToList();
        var refusedLogouts = rounds.Where(r => r.LogoutStatus != (int)HttpStatusCode.NoContent).ToList();
        var inFlight = rounds.SelectMany(r => r.InFlight).ToList();
        var afterTheLogout = rounds.SelectMany(r => r.SentAfterTheLogout).ToList();
        var paused = rounds.Where(r => r.Paused).ToList();
        Report(nameof(ChecksRacingLogouts_WithPausedNodes_NoCheckSentAfterALogoutReturnedIsAccepted),
            $"{rounds.Count} iterations in {took.TotalSeconds:F1} s (lease 1 s, renewal 200 ms; 2 silos, 2 API nodes): " +
            $"{rounds.Count(r => r.Subject)} log out everywhere, {paused.Count} with the other node paused, {rounds.Count(r => r.Cold)} with it cold; " +
            $"logout p50/max {Durations(rounds.Where(r => !r.Paused))} unpaused, {Durations(paused)} with a node paused " +
            $"(slowest unpaused: {string.Join(", ", rounds.Where(r => !r.Paused).OrderByDescending(r => r.LogoutTook).Take(5).Select(r => $"#{r.Index} {r.LogoutTook.TotalMilliseconds:F0} ms at {clockStartedUtc + r.LogoutSent:HH:mm:ss.fff}Z{(r.Index > 0 && rounds[r.Index - 1].Paused ? " after a pause" : "")}"))}); " +
            $"{checks.Count} checks ({string.Join(' ', checks.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}): " +
            $"{inFlight.Count} in flight during a logout ({inFlight.Count(c => c.Status == 200)} accepted, {inFlight.Count(c => c.Status == 401)} refused), " +
            $"{afterTheLogout.Count} sent after it returned ({afterTheLogout.Count(c => c.Status == 401)} refused); " +
            $"stale accepts {stale.Count}, failed checks {failed.Count}, logouts not acknowledged {refusedLogouts.Count}; " +
            $"near cache over the run (node 0/node 1): {Deltas(before, after)}" +
            string.Concat(stale.Concat(failed).Take(20).Select(line => $"\n  {line}")) +
            (stale.Count > 0 ? $"\nthe silos' logs: {nodes.Cluster.MembershipEvents()}" : ""));

        Assert.Empty(stale);
        Assert.Empty(failed);
        Assert.Empty(refusedLogouts);

        // The race was run: checks were in flight while logouts were made, and both nodes were asked afterwards.
        Assert.True(inFlight.Count >= rounds.Count, $"Only {inFlight.Count} checks were in flight during {rounds.Count} logouts.");
        Assert.All(rounds, r => Assert.True(r.SentAfterTheLogout.Select(c => c.Node).Distinct().Count() == 2, $"iteration {r.Index}: not both nodes were asked after the logout"));
    }

    private static async Task<RaceIteration> RaceAsync(ClusterNodes nodes, Stopwatch clock, int index, int logoutNode, bool subject, bool paused, bool cold)
    {
        var other = 1 - logoutNode;
        List<string> tokens = subject ? SameSubject(nodes, index) : [nodes.Mint()];

        // Warm: each token answered (and cached) on the logout's node, and on the other unless it stays cold.
        var warm = new List<RaceCheck>();
        foreach (var token in tokens)
        {
            warm.Add(await CheckAsync(nodes, logoutNode, token, clock));
            if (!cold)
            {
                warm.Add(await CheckAsync(nodes, other, token, clock));
            }
        }

        var settled = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = tokens.SelectMany(token => new[] { logoutNode, other }.Select(node => CheckUntilSettledAsync(nodes, node, token, clock, settled.Task))).ToList();
        var queued = new List<Task<RaceCheck>>();
        TimeSpan logoutSent = default, logoutReturned = default;
        var logoutStatus = 0;
        try
        {
            // A few checks leave first, so that some are in flight at every stage of the logout.
            await Task.Delay(Random.Shared.Next(0, 4));
            if (paused)
            {
                nodes.Cluster.Signal("api", other, "STOP");
            }

            logoutSent = clock.Elapsed;
            try
            {
                logoutStatus = (int)await nodes.LogoutAsync(logoutNode, tokens[0], everywhere: subject);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                logoutStatus = 0; // not acknowledged: reported with the others
            }

            logoutReturned = clock.Elapsed;
            if (paused)
            {
                // Sent to the paused node after the logout returned: answered only once it resumes (promise 8).
                queued.AddRange(tokens.Select(token => CheckAsync(nodes, other, token, clock)));
                await Task.Delay(QueuedAtThePausedNode);
            }
        }
        finally
        {
            if (paused)
            {
                nodes.Cluster.Signal("api", other, "CONT");
            }

            settled.SetResult(clock.Elapsed);
        }

        var checks = new List<RaceCheck>();
        foreach (var loop in loops)
        {
            checks.AddRange(await loop);
        }

        foreach (var check in queued)
        {
            checks.Add(await check);
        }

        return new RaceIteration(index, subject, paused, cold, logoutNode, logoutSent, logoutReturned, logoutStatus, warm, checks);
    }

    /// <summary>Two tokens (two jtis) of one fresh subject: "log out everywhere" through the first must refuse both.</summary>
    private static List<string> SameSubject(ClusterNodes nodes, int index)
    {
        var subject = $"race-{index}-{Guid.NewGuid():N}";
        return [nodes.Tokens.Mint(sub: subject), nodes.Tokens.Mint(sub: subject)];
    }

    /// <summary>Checks <paramref name="token"/> on <paramref name="node"/> back to back until a few were sent after <paramref name="settled"/>.</summary>
    private static async Task<List<RaceCheck>> CheckUntilSettledAsync(ClusterNodes nodes, int node, string token, Stopwatch clock, Task<TimeSpan> settled)
    {
        var checks = new List<RaceCheck>();
        var afterSettled = 0;
        var started = clock.Elapsed;
        while (afterSettled < ChecksAfterTheLogout)
        {
            var check = await CheckAsync(nodes, node, token, clock);
            checks.Add(check);
            if (settled.IsCompletedSuccessfully && check.Sent > settled.Result)
            {
                afterSettled++;
            }
            else if (clock.Elapsed - started > BackToBack)
            {
                await Task.WhenAny(settled, Task.Delay(Paced));
            }
        }

        return checks;
    }

    private static async Task<RaceCheck> CheckAsync(ClusterNodes nodes, int node, string token, Stopwatch clock)
    {
        var sent = clock.Elapsed;
        int status;
        try
        {
            status = (int)await nodes.MeAsync(node, token);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            status = 0;
        }

        return new RaceCheck(node, sent, clock.Elapsed, status);
    }

    private static string Deltas(MetricsScrape[] before, MetricsScrape[] after)
    {
        string Of(string name, string label, string value) =>
            string.Join('/', Enumerable.Range(0, before.Length).Select(i => after[i].Value(name, (label, value)) - before[i].Value(name, (label, value))));

        return $"hits {Of("revocation_near_cache_lookups_total", "result", "hit")}, misses {Of("revocation_near_cache_lookups_total", "result", "miss")}, " +
            $"token notices {Of("revocation_near_cache_invalidations_total", "kind", "token")}, subject notices {Of("revocation_near_cache_invalidations_total", "kind", "subject")}, " +
            $"new leases {Of("revocation_near_cache_lease_renewals_total", "result", "new_lease")}, failed renewals {Of("revocation_near_cache_lease_renewals_total", "result", "failed")}";
    }

    private static string Durations(IEnumerable<RaceIteration> rounds)
    {
        var sorted = rounds.Select(r => r.LogoutTook.TotalMilliseconds).Order().ToList();
        return sorted.Count == 0 ? "-" : $"{sorted[sorted.Count / 2]:F0}/{sorted[^1]:F0} ms";
    }

    private void Report(string test, string line) => ClusterReport.Write(output, test, line);
}
