namespace Revocation.Grains;

/// <summary>How expired rows are swept, bound from the <c>Sweeper</c> section.</summary>
public sealed class SweeperOptions
{
    public const string SectionName = "Sweeper";

    /// <summary>Reminder period; Orleans' minimum is 1 minute. The default is 5 minutes.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Delay before the first tick after the reminder is registered. The default is 1 minute.</summary>
    public TimeSpan DueTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per DELETE statement. The default is 5 000.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Longest a tick keeps issuing batches; the rest waits for the next tick. The default is 30 seconds.</summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest one DELETE batch may take; then it is cancelled (nothing of it is deleted) and the
    /// tick reported as failed. A sweep thus ends within <see cref="TimeBudget"/> plus this even on a
    /// hung database: keep the sum below the API nodes' <c>Registry:SweepTimeout</c> (1 minute).
    /// At most 30 seconds (Npgsql's own command timeout). The default is 10 seconds; a batch of
    /// 5 000 rows took about 0.12 s in benchmarks/sweep.md.
    /// </summary>
    public TimeSpan BatchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest <see cref="BatchTimeout"/>: Npgsql's default command timeout would end a batch first.</summary>
    public static TimeSpan MaxBatchTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long past <c>expires_at</c> a row is kept. <c>expires_at</c> already includes the
    /// revoking node's clock skew (the last instant it accepts the token); the grace covers what
    /// that cannot: another node with a larger <c>Jwt:ClockSkew</c>, and clocks of API nodes,
    /// silos and the database that disagree. The default is 5 minutes.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);
}
