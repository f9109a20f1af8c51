namespace Revocation.Silo.Rejuvenation;

/// <summary>
/// When a silo recycles itself on purpose (software rejuvenation), bound from the
/// <c>Rejuvenation</c> section. Off unless <see cref="MaxLifetime"/> or <see cref="MemoryLimit"/> is set.
/// </summary>
public sealed class RejuvenationOptions
{
    public const string SectionName = "Rejuvenation";

    /// <summary>
    /// How long a silo process runs before it asks for a turn to recycle; the actual lifetime is
    /// drawn once per process between <c>MaxLifetime × (1 − Jitter)</c> and <c>MaxLifetime</c>. Unset
    /// (the default): no recycling by age.
    /// </summary>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>
    /// The fraction of <see cref="MaxLifetime"/> drawn off at random, between 0 and 0.9, so that silos
    /// started together do not all ask for a turn at the same moment. The default is 0.2.
    /// </summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>
    /// Resident memory of the process (RSS: managed heap, native allocations, code, stacks) above
    /// which the silo asks for a turn to recycle, in bytes or with a unit (<c>768MiB</c>, <c>2GiB</c>,
    /// <c>800MB</c>). A leak guard that does not rely on the GC's own accounting. Unset (the
    /// default): no recycling by memory.
    /// </summary>
    public string? MemoryLimit { get; set; }

    /// <summary>
    /// No recycle by memory before the process is this old: a silo whose memory is over the limit
    /// right after its start would otherwise restart in a loop. The default is 5 minutes.
    /// </summary>
    public TimeSpan MemoryMinUptime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many silos of the cluster may be recycling at the same time. The default is 1.</summary>
    public int MaxConcurrent { get; set; } = 1;

    /// <summary>
    /// The fewest other active silos (not recycling themselves) that must remain while this one
    /// recycles; a silo that would leave fewer waits. The default is 1: a lone silo never takes
    /// the whole cluster down to rejuvenate (0 allows it).
    /// </summary>
    public int MinSilos { get; set; } = 1;

    /// <summary>
    /// The longest a turn lasts. A turn normally ends as soon as the recycled silo is back (active
    /// again on the same address and port); one whose holder died and was not restarted ends after
    /// this. Longer than a graceful shutdown (30 s) plus a restart. The default is 2 minutes.
    /// </summary>
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the silo checks its age and memory, and asks for a turn while it waits for one. The default is 10 seconds.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when a trigger is set.</summary>
    public bool Enabled => MaxLifetime is not null || MemoryLimit is not null;

    /// <summary>The exit status of a silo that recycled itself; supervisors restart on it (EX_TEMPFAIL in sysexits.h).</summary>
    public const int RecycleExitCode = 75;
}
