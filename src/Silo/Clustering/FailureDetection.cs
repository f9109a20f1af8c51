using Orleans.Configuration;

namespace Revocation.Silo.Clustering;

/// <summary>
/// How fast a crashed silo is declared dead, how fast an evicted one notices, and what the grain
/// directory does with its grains meanwhile. Until a crashed silo is declared dead, checks for
/// tokens whose activations lived on it wait and are asked again (503 under FailClosed once their
/// budget is spent), so this window is the cost of a crash. Orleans' defaults (probe every 5 s, 3
/// misses) take 10.7–13.9 s for a killed silo; probing every second with the same 3 misses
/// declares it dead in 1.2–2.7 s (its port refuses the probes), and a hung one (SIGSTOP: probes go
/// unanswered, and Orleans lets their timeout grow to <see cref="ClusterMembershipOptions.MaxProbeTimeout"/>,
/// 4 s) in 12.0–13.0 s. A false suspicion needs a silo to miss three probes in a row, and Orleans
/// lengthens the timeout itself while the probing silo is the one degraded
/// (<see cref="ClusterMembershipOptions.ExtendProbeTimeoutDuringDegradation"/>), so a GC pause or a
/// busy core does not evict a healthy silo.
/// </summary>
public static class FailureDetection
{
    /// <summary>Interval and timeout of a liveness probe. The default is 1 second (Orleans: 5 s).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is suspected and voted dead. The default is 3 (as Orleans).</summary>
    public const int MissedProbesLimit = 3;

    /// <summary>
    /// How often a silo reads the membership table on its own. The default is 5 seconds (Orleans:
    /// 60 s). Declaring a silo dead is gossiped to the others, but not to the silo itself: a silo
    /// evicted while it still runs (hung past detection, cut off from the other silos) keeps its
    /// activations until this read, or a probe round of its own, tells it. Measured after a
    /// SIGSTOP past detection and a SIGCONT (scripts/bench-eviction.sh, benchmarks/eviction.md):
    /// with 60 s it ran on for 5.4–30.3 s, with 5 s for 2.1–2.2 s (it reads the table as soon as it
    /// runs again, then Orleans stops it within 2 s). The cost is one membership read per silo
    /// every 5 s.
    /// </summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <see cref="GrainDirectoryOptions.RangeLeaseDuration"/> of the distributed grain directory. The
    /// default is zero: no hold (Orleans: 30 s).
    /// </summary>
    /// <remarks>
    /// When a silo is declared dead (not when it leaves gracefully), Orleans 10.4.2 holds two kinds
    /// of registration until this long after the silo's estimated failure, taken as the declaration
    /// less <see cref="ClusterMembershipOptions.MaxProbeTimeout"/> (4 × <see cref="ProbeTimeout"/>)
    /// × <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>, here 4 s × 3 = 12 s: a new
    /// activation of any grain that lived on the dead silo, and any registration at all in the
    /// directory ranges it owned (about 1/N of every grain id with N silos). The hold exists for a
    /// silo declared dead that is still running: its activations answer until it learns of its
    /// eviction, and the hold keeps a second activation from starting meanwhile. A call that needs
    /// a held registration waits the hold out. Orleans' 30 s with these probes holds for 18 s after
    /// the declaration, and every check of a token whose grain is held fails its 2 s budget
    /// (measured: docs/DESIGN.md, "Duplicate activations"); with Orleans' own 5 s probes the same
    /// 30 s is used up by the 60 s detection allowance and holds nothing. No hold keeps promise 9;
    /// the window it leaves open (a silo evicted while still running) is bounded by
    /// <c>TokenGrain:NotRevokedMaxAge</c> and <c>RevocationCheck:NearCache:MaxAge</c>.
    /// </remarks>
    public static readonly TimeSpan RangeLeaseDuration = TimeSpan.Zero;

    public static void Apply(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = ProbeTimeout;
        membership.NumMissedProbesLimit = MissedProbesLimit;
        membership.TableRefreshTimeout = TableRefreshTimeout;
    }

    public static void Apply(GrainDirectoryOptions directory) => directory.RangeLeaseDuration = RangeLeaseDuration;
}
