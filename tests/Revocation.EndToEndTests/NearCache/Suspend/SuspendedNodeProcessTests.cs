using System.Diagnostics;
using System.Net;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.NearCache.Suspend;

/// <summary>
/// An API node suspended while a revocation is made: its process is stopped (SIGSTOP) and its
/// monotonic clocks stand still across the stop (<see cref="MonotonicClockShift"/>), as in a system
/// suspend, a VM pause or a checkpoint/restore. The revocation returns once the node's lease ran
/// out on the registry's side. On the monotonic clock alone the node's lease would still hold when
/// it resumes and it would serve its cached "not revoked"; the wall clock shows the lease ended, so
/// the first check after the resume asks the registry. (A node paused without the clock shift, whose
/// monotonic clock runs on: <see cref="RevocationRaceProcessTests"/>, every fifth round.)
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class SuspendedNodeProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SuspendedNode_TheRevocationReturnsWithinALease_AndTheNodeRejectsTheTokenOnItsFirstCheckAfterResuming()
    {
        using var shift = await MonotonicClockShift.BuildAsync();
        // Three lease partitions: the logout waits for the suspended node's, whichever it is.
        await using var nodes = await ClusterNodes.UpAsync(silos: 1, apis: 2, new Dictionary<string, string>
        {
            ["REGISTRY_API_1_SETTINGS"] = shift.EnvironmentWords,
            ["NodeLeases__Partitions"] = "3",
            ["RevocationCheck__NearCache__LeasePartitions"] = "3",
        });
        await nodes.WaitForLeasesAsync();
        var token = nodes.Mint();
        Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(1, token));
        Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(1, token));
        var jumpsBefore = await nodes.Cluster.ApiMetricAsync(1, "revocation_near_cache_clock_jumps_total");

        nodes.Cluster.Signal("api", 1, "STOP");
        var stopped = Stopwatch.StartNew();
        HttpStatusCode logout;
        TimeSpan took;
        try
        {
            logout = await nodes.LogoutAsync(0, token);
            took = stopped.Elapsed;

            // Past the node's lease on the wall clock, whatever the logout took.
            var pastTheLease = Lease + TimeSpan.FromSeconds(1) - stopped.Elapsed;
            if (pastTheLease > TimeSpan.Zero)
            {
                await Task.Delay(pastTheLease);
            }
        }
        finally
        {
            await shift.StandStillAsync(stopped.Elapsed);
            nodes.Cluster.Signal("api", 1, "CONT");
        }

        var afterResume = await nodes.MeAsync(1, token);
        var suspendedFor = stopped.Elapsed;
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(10), async () =>
            await nodes.Cluster.ApiMetricAsync(1, "revocation_near_cache_clock_jumps_total") > jumpsBefore);
        // The counter is raised as the warning is queued: the console logger writes it to the log file a moment later.
        var reading = Stopwatch.StartNew();
        bool warned;
        while (!(warned = nodes.Cluster.ReadLog("api-1.log").Contains("ahead of the monotonic clock", StringComparison.Ordinal))
            && reading.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100);
        }

        ClusterReport.Write(output, nameof(SuspendedNode_TheRevocationReturnsWithinALease_AndTheNodeRejectsTheTokenOnItsFirstCheckAfterResuming),
            $"logout with node B suspended: {(int)logout} after {took.TotalSeconds:F2} s (lease {Lease.TotalSeconds:F0} s); B's monotonic clock stood still for {suspendedFor.TotalSeconds:F1} s; first check after the resume: {(int)afterResume}; clock-jump warning logged: {warned}");

        Assert.Equal(HttpStatusCode.NoContent, logout);
        Assert.True(took <= Lease + TimeSpan.FromSeconds(1.5), $"the revocation took {took} with one node suspended");
        Assert.Equal(HttpStatusCode.Unauthorized, afterResume);
        Assert.True(warned, "the node did not log that its wall clock ran ahead of its monotonic clock: the shim did not take effect");
    }
}
