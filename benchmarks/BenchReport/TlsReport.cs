using static Revocation.BenchReport.ChecksMeasurements;

namespace Revocation.BenchReport;

/// <summary>Mutual TLS on the Orleans connections, on vs off (benchmarks/results-tls.md, <c>scripts/bench.sh tls</c>), from levels.tsv and revocations.tsv.</summary>
internal static class TlsReport
{
    public static string Write(ChecksRun run, ChecksMeasurements m, string machine)
    {
        var text = new Markdown("Mutual TLS on the Orleans connections: on vs off", run.Smoke ? "Smoke run: durations of seconds, numbers are not meaningful." : null);
        void Line(string line = "") => text.Line(line);

        Line($"`scripts/bench.sh tls` — one run, every number below from it. {run.SecondsPerLevel} s per level after a {run.Warmup} s warm-up.");
        Line();
        text.Block(machine);
        Line($"- Topology and load as in [results.md](results.md): PostgreSQL, one silo, API nodes A and B on this machine, wrk sending GET /me to A with {run.Tokens} distinct tokens (every {run.RevokeEvery}th revoked). Without a suffix every Orleans connection runs mutual TLS (`ClusterTls:*`, certificates of a throwaway CA from scripts/cluster-certs.sh, as shipped); **+PlainTcp**: the cluster restarted in plain TCP (`REGISTRY_CLUSTER_TLS=off`).");
        Line();
        Line("| mode | concurrency | requests/s | vs. the same mode in plain TCP | p50 ms | p99 ms | unexpected non-2xx | grain calls / request | CPU µs per request: API node | silo |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in m.Levels)
        {
            var mode = row[LevelColumns.Mode];
            var plain = mode.Contains('+', StringComparison.Ordinal) ? null : m.LevelOf(mode + "+PlainTcp", (int)row.Number(LevelColumns.Concurrency));
            Line($"| {mode} | {row[2]} | {row[3]} | {DashboardReport.VersusBase(row, plain)} | {row[4]} | {row[5]} | {row[7]} | {row[LevelColumns.GrainCallsPerRequest]} | {row[LevelColumns.ApiCpu]} | {row[LevelColumns.SiloCpu]} |");
        }

        Line();
        Line("## Revocation latency");
        Line();
        Line("| mode | revocations | p50 ms | p99 ms | max ms | statuses |");
        Line("|---|---:|---:|---:|---:|---|");
        foreach (var row in m.Revocations)
        {
            Line($"| {row[1]} | {row[2]} | {row[3]} | {row[4]} | {row[5]} | {row[6]} |");
        }

        Line();
        Line("POST /auth/logout of fresh tokens through node A at concurrency 4 (every revocation told to both API nodes before it returns). With the near cache (Grain) a check crosses no Orleans connection at steady state, so TLS should cost it nothing; GrainNoNearCache makes two grain calls per request, each over TLS; a revocation makes about ten Orleans messages. On this 2-core machine run-to-run differences of a few percent are noise. Each mode here starts on a freshly restarted cluster (TLS on and off alternate), so its first revocations wait one lease (`NodeLeases:LeaseDuration`, 5 s) for leases an earlier lease-grain activation may have granted: the ≈ 5 s maxima.");
        return text.ToString();
    }
}
