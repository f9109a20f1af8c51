using static Revocation.BenchReport.ChecksMeasurements;

namespace Revocation.BenchReport;

/// <summary>The Orleans Dashboard on vs off (benchmarks/results-dashboard.md, <c>scripts/bench.sh dashboard</c>), from levels.tsv.</summary>
internal static class DashboardReport
{
    public static string Write(ChecksRun run, ChecksMeasurements m, string machine)
    {
        var text = new Markdown("The Orleans Dashboard on vs off", run.Smoke ? "Smoke run (`scripts/bench.sh --smoke dashboard`): durations of seconds, numbers are not meaningful." : null);
        void Line(string line = "") => text.Line(line);

        Line($"`scripts/bench.sh dashboard` — one run, every number below from it. {run.SecondsPerLevel} s per level after a {run.Warmup} s warm-up.");
        Line();
        text.Block(machine);
        Line($"- Topology and load as in [results.md](results.md): PostgreSQL, one silo and API node A on this machine, wrk sending GET /me with {run.Tokens} distinct tokens (every {run.RevokeEvery}th revoked). Without a suffix the silo runs without its dashboard (`Dashboard:Enabled=false`, the default). **+Dashboard**: the dashboard on as configured by default when enabled (trace stream hidden, the check path's grain calls left out of its profiling), and its overview asked for every second (counters, cluster statistics, top methods) as an open page asks, so that its profiler runs throughout — the worst case; with nobody looking it stops profiling after a minute. **+DashboardProfilingChecks**: on and also profiling the checks' grain calls (`Dashboard:ProfileChecks=true`). The silo restarts when the setting changes; each mode's warm-up activates the grains again.");
        Line();
        Line("| mode | concurrency | requests/s | vs. the same mode without the dashboard | p50 ms | p99 ms | unexpected non-2xx | grain calls / request | CPU µs per request: API node | silo | silo RSS MB |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in m.Levels)
        {
            var mode = row[LevelColumns.Mode];
            var plus = mode.IndexOf('+', StringComparison.Ordinal);
            var without = plus < 0 ? null : m.LevelOf(mode[..plus], (int)row.Number(LevelColumns.Concurrency));
            Line($"| {mode} | {row[2]} | {row[3]} | {VersusBase(row, without)} | {row[4]} | {row[5]} | {row[7]} | {row[LevelColumns.GrainCallsPerRequest]} | {row[LevelColumns.ApiCpu]} | {row[LevelColumns.SiloCpu]} | {row[LevelColumns.SiloRssMb]} |");
        }

        Line();
        Line("Grain answers almost every check from the API node's near cache, so the silo's profiler has little to time; GrainNoNearCache asks the token and the subject grain on every request, the most grain calls per request a profiler can meet. CPU per request from /proc over each level, as in results.md. On this 2-core machine, where wrk, PostgreSQL, the silo and the API node share the cores, run-to-run differences of a few percent are noise: compare a ratio with the spread of repeated runs before reading it as a cost.");
        return text.ToString();
    }

    /// <summary>A row's requests/s over those of the row it is compared with, to three decimals; a dash when there is none.</summary>
    public static string VersusBase(TsvRow row, TsvRow? baseline) =>
        baseline is not null && baseline.Number(LevelColumns.RequestsPerSecond) > 0
            ? Numbers.Fixed(row.Number(LevelColumns.RequestsPerSecond) / baseline.Number(LevelColumns.RequestsPerSecond), 3) + "×"
            : "—";
}
