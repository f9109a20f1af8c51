using System.Globalization;

namespace Revocation.BenchReport;

/// <summary>
/// Revocation throughput against PostgreSQL's own (benchmarks/results-revocations.md,
/// <c>scripts/bench.sh revocations</c>): each variant and concurrency next to pgbench's rate in the
/// same run, and the CPU each revocation cost by process.
/// </summary>
internal static class RevocationsReport
{
    /// <summary>
    /// revocations-throughput.tsv (bench.sh's <c>revocations_variant</c>); the last field holds the
    /// CPU ticks before and after the level, six each: API A, API B, silo 0, silo 1, PostgreSQL, the machine;
    /// then the level's statements on revoked_tokens (pg_stat_statements): "upserts rows reads", absent in older runs.
    /// </summary>
    public static class ThroughputColumns
    {
        public const int Variant = 1, Concurrency = 2, Revocations = 3, WallMs = 4, P50Ms = 5, P99Ms = 6, Statuses = 7, PgbenchTps = 8, Ticks = 9, Statements = 10;
    }

    /// <summary>
    /// revocations-warmup.tsv (bench.sh's <c>warm_until_steady</c>): one row per warm-up batch of a
    /// variant, before its measured levels.
    /// </summary>
    public static class WarmupColumns
    {
        public const int Variant = 1, Batch = 2, Revocations = 3, PerSecond = 4;
    }

    /// <summary>
    /// revocations-paced.tsv (bench.sh's <c>revocations_paced</c>): a variant's revocations sent open
    /// loop at a quarter of its best pgbench rate (half the target), latencies from when each was due;
    /// ticks as in <see cref="ThroughputColumns.Ticks"/>.
    /// </summary>
    public static class PacedColumns
    {
        public const int Variant = 1, PerSecond = 2, Revocations = 3, WallMs = 4, P50Ms = 5, P99Ms = 6, MaxMs = 7, Statuses = 8, Ticks = 9;
    }

    /// <summary>Issue 21's latency target at half its rate target.</summary>
    private const double TargetP99Ms = 50;

    public sealed record Run(string Out, bool Smoke, int Revocations, int Seconds, int ClockTicksPerSecond)
    {
        /// <exception cref="ArgumentException">An option is unknown, missing or out of range.</exception>
        public static Run From(CommandLine line)
        {
            line.RefuseOthers(["out", "smoke", "revocations", "seconds", "clock-ticks"]);
            return new(line.Text("out"), line.Flag("smoke"), line.AtLeast("revocations", 12_000, 1), line.AtLeast("seconds", 10, 1),
                line.AtLeast("clock-ticks", 100, 1));
        }
    }

    /// <exception cref="InvalidDataException">A figure is not a number, or the ticks are not twelve numbers.</exception>
    public static string Write(Run run, IReadOnlyList<TsvRow> levels, IReadOnlyList<TsvRow> warmup, IReadOnlyList<TsvRow> paced, string machine)
    {
        var text = new Markdown("Revocation throughput against PostgreSQL's own", run.Smoke ? "Smoke run: durations of seconds, numbers are not meaningful." : null);
        void Line(string line = "") => text.Line(line);

        Line($"`scripts/bench.sh revocations` — two silos, API nodes A and B (Grain mode, near cache on: every revocation is told to both nodes before it returns), PostgreSQL and the clients all on this machine. The registry: {run.Revocations} POST /auth/logout of fresh tokens through node A at each concurrency, timed by the client (HttpCheckBench), in three variants side by side: group commit as shipped (`Database:MaxRowsPerStatement` 256, `Database:StatementsInFlight` 1); the control without it (1 row per statement, 64 in flight: one statement and one commit per revocation, as before); and group commit with tokens in use — each checked once through node A (GET /me, not timed) before its logout, as a token usually is, so that the token's grain is active with its row read. A plain logout is not checked first (it only revokes its own token: `WithoutRevocationCheck`), so either way the level measures the revocation alone; the variants differ in the grain's activation. The floor: `pgbench -M prepared` at as many clients for {run.Seconds} s right after each, each transaction the registry's own `INSERT … ON CONFLICT` of a fresh jti on the same `revoked_tokens`. Target (issue 21): the registry ≥ 0.5× pgbench at 16 and 64. CPU is per revocation, by process, from /proc (\"other\": the client and everything else on the machine). SQL per revocation from pg_stat_statements: upsert statements, the rows each carried (group commit's batching), and reads of revoked_tokens (a revocation writes without reading: a fresh token's logout reads nothing; a token in use was read by its check before the level).");
        Line();
        text.Block(machine);
        Line();
        Line("| variant | concurrency | revocations/s | p50 ms | p99 ms | statuses | pgbench tps | ratio | ≥ 0.5×? | CPU µs/revocation: API A | API B | silos | PostgreSQL | other | all | upserts/revocation | rows/upsert | reads/revocation |");
        Line("|---|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var microsecondsPerTick = 1_000_000.0 / run.ClockTicksPerSecond;
        foreach (var row in levels)
        {
            var count = row.Number(ThroughputColumns.Revocations);
            var wall = row.Number(ThroughputColumns.WallMs);
            var pgbench = row.Number(ThroughputColumns.PgbenchTps);
            var perSecond = wall > 0 ? count * 1000 / wall : 0;
            var ratio = pgbench > 0 ? perSecond / pgbench : 0;
            var ticks = Ticks(row, ThroughputColumns.Ticks);
            double PerRevocation(params int[] processes) =>
                count > 0 ? processes.Sum(p => ticks[p + 6] - ticks[p]) * microsecondsPerTick / count : 0;
            var apiA = PerRevocation(0);
            var apiB = PerRevocation(1);
            var silos = PerRevocation(2, 3);
            var postgres = PerRevocation(4);
            var all = PerRevocation(5);
            Line($"| {row[1]} | {row[2]} | {Numbers.Fixed(perSecond, 0)} | {row[5]} | {row[6]} | {row[7]} | {row[8]} | {Numbers.Fixed(ratio, 2)}× | {(ratio >= 0.5 ? "yes" : "**no**")} | {Numbers.Fixed(apiA, 0)} | {Numbers.Fixed(apiB, 0)} | {Numbers.Fixed(silos, 0)} | {Numbers.Fixed(postgres, 0)} | {Numbers.Fixed(all - apiA - apiB - silos - postgres, 0)} | {Numbers.Fixed(all, 0)} | {Sql(row, count)} |");
        }

        if (paced.Count > 0)
        {
            Line();
            Line($"At half the target rate, open loop: each variant's revocations sent at a quarter of the best pgbench rate of its levels above (0.5× is the rate target; the latency target, p99 ≤ {TargetP99Ms:F0} ms, holds at half of it), whether or not earlier ones had answered, for {run.Seconds} s; each latency counts from when its revocation was due, so a stall shows in every revocation that would have queued behind it. Met: p99 ≤ {TargetP99Ms:F0} ms and every revocation acknowledged (status -2: not sent, 2 048 already in flight; CPU is per revocation sent).");
            Line();
            Line("| variant | sent at (/s) | acknowledged (/s) | p50 ms | p99 ms | max ms | statuses | p99 ≤ 50 ms? | CPU µs/revocation: silos | all |");
            Line("|---|---:|---:|---:|---:|---:|---|---|---:|---:|");
            foreach (var row in paced)
            {
                var count = row.Number(PacedColumns.Revocations);
                var wall = row.Number(PacedColumns.WallMs);
                var ticks = Ticks(row, PacedColumns.Ticks);
                var sent = count - Counted(row[PacedColumns.Statuses], "-2");
                double PerRevocation(params int[] processes) =>
                    sent > 0 ? processes.Sum(p => ticks[p + 6] - ticks[p]) * microsecondsPerTick / sent : 0;
                var acknowledged = Counted(row[PacedColumns.Statuses], "204");
                var met = row.Number(PacedColumns.P99Ms) <= TargetP99Ms && acknowledged == count;
                Line($"| {row[PacedColumns.Variant]} | {row[PacedColumns.PerSecond]} | {Numbers.Fixed(wall > 0 ? acknowledged * 1000 / wall : 0, 0)} | {row[PacedColumns.P50Ms]} | {row[PacedColumns.P99Ms]} | {row[PacedColumns.MaxMs]} | {row[PacedColumns.Statuses]} | {(met ? "yes" : "**no**")} | {Numbers.Fixed(PerRevocation(2, 3), 0)} | {Numbers.Fixed(PerRevocation(5), 0)} |");
            }
        }

        if (warmup.Count > 0)
        {
            Line();
            Line("Warm-up before each variant's levels (a fresh cluster: its first revocations also pay for JIT compilation and tiering), batches at concurrency 16 until one ran at most 1.1× the one before:");
            Line();
            foreach (var variant in warmup.GroupBy(row => row[WarmupColumns.Variant]))
            {
                var batches = variant.Select(row => Numbers.Fixed(row.Number(WarmupColumns.PerSecond), 0));
                Line($"- {variant.Key}: {variant.Count()} × {variant.First()[WarmupColumns.Revocations]} revocations at {string.Join(", ", batches)} revocations/s");
            }
        }

        return text.ToString();
    }

    /// <summary>The revocations of "status:count,…" with <paramref name="status"/> (204: acknowledged; -2: not sent, too many in flight).</summary>
    private static double Counted(string statuses, string status) =>
        statuses.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.StartsWith(status + ":", StringComparison.Ordinal))
            .Sum(entry => double.TryParse(entry.AsSpan(status.Length + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0);

    /// <summary>"upserts/revocation | rows/upsert | reads/revocation", or n/a where the run did not count them.</summary>
    private static string Sql(TsvRow row, double revocations)
    {
        var text = row[ThroughputColumns.Statements];
        if (text.Length == 0 || revocations <= 0)
        {
            return "n/a | n/a | n/a";
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var counts = fields.Select(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN).ToArray();
        if (counts.Length != 3 || counts.Any(double.IsNaN))
        {
            throw new InvalidDataException($"field {ThroughputColumns.Statements} of the row starting '{row[1]}' should be 3 statement counts (upserts rows reads), got '{text}'");
        }

        var (upserts, rows, reads) = (counts[0], counts[1], counts[2]);
        return $"{Numbers.Fixed(upserts / revocations, 2)} | {(upserts > 0 ? Numbers.Fixed(rows / upserts, 2) : "n/a")} | {Numbers.Fixed(reads / revocations, 2)}";
    }

    private static double[] Ticks(TsvRow row, int column)
    {
        var fields = row[column].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Select(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : double.NaN).ToArray();
        return ticks.Length == 12 && !ticks.Any(double.IsNaN)
            ? ticks
            : throw new InvalidDataException($"field {column} of the row starting '{row[1]}' should be 12 CPU tick counts, got '{row[column]}'");
    }
}
