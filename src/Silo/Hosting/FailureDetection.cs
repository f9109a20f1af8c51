using Orleans.Configuration;

namespace Revocation.Silo.Hosting;

/// <summary>
/// How fast a crashed silo is declared dead. Until then, checks for tokens whose activations
/// lived on it wait and fail (503 under FailClosed), so this window is the cost of a crash.
/// Orleans' defaults (probe every 5 s, 3 misses) take ~15 s; probing every second with the same
/// 3 misses declares a killed silo dead in ~3–4 s. A false suspicion needs a silo to miss three
/// probes in a row, and Orleans lengthens the timeout itself while the probing silo is the one
/// degraded (<see cref="ClusterMembershipOptions.ExtendProbeTimeoutDuringDegradation"/>), so a GC
/// pause or a busy core does not evict a healthy silo.
/// </summary>
public static class FailureDetection
{
    /// <summary>Interval and timeout of a liveness probe. The default is 1 second (Orleans: 5 s).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is suspected and voted dead. The default is 3 (as Orleans).</summary>
    public const int MissedProbesLimit = 3;

    public static void Apply(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = ProbeTimeout;
        membership.NumMissedProbesLimit = MissedProbesLimit;
    }
}
