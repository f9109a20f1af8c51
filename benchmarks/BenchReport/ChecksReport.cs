using static Revocation.BenchReport.ChecksMeasurements;

namespace Revocation.BenchReport;

/// <summary>The check modes side by side (benchmarks/results.md): every table and sentence of the report.</summary>
internal static class ChecksReport
{
    public static string Write(ChecksRun run, ChecksMeasurements m, string machine)
    {
        var plots = Path.GetFileName(run.Plots);
        var cores = Environment.ProcessorCount;
        var text = new Markdown("Revocation check modes side by side", run.Smoke ? "Smoke run (`scripts/bench.sh --smoke`): durations of seconds, numbers are not meaningful." : null);
        void Line(string line = "") => text.Line(line);
        void Rows(IEnumerable<TsvRow> rows, Func<TsvRow, string> format)
        {
            foreach (var row in rows)
            {
                Line(format(row));
            }
        }


        Line($"`scripts/bench.sh` — one run, every number below from it. {run.SecondsPerLevel} s per level after a {run.Warmup} s warm-up.");
        Line();
        text.Block(machine);
        Line($"- Topology, all on this machine over 127.0.0.1: PostgreSQL {run.PostgresPort} (private, pg_stat_statements), one silo, API node A (loaded; check pool: Npgsql default 100) and API node B (pool of {run.BurstPool}), wrk (2 threads) and the probe tool. The silo runs in every mode: revocations always go through the token grain.");
        Line($"- Load: `wrk -s benchmarks/wrk/me.lua` GET /me rotating {run.Tokens} distinct valid tokens (HS256, 1 000 subjects), every {run.RevokeEvery}th revoked (the expected 401s). LocalCache: TTL {run.CacheTtl} s, {run.CacheSize} entries. Grain checks the jti and the subject-wide rule, answered from the API node's near cache under a lease (a miss asks the token and subject grains); GrainNoNearCache asks both grains on every request (two grain calls, concurrently); Database, LocalCache (and GrainJtiOnly if run) check the jti only; GrainSid (if run) is Grain with each token carrying one of 1 000 session ids, so the session rule is checked too (from the near cache at steady state). JwtOnly is the floor: the same API node, the same tokens, GET /bench/jwt-only (Development only, `Benchmarks:CheckFloorEndpoint`) answering like /me after JWT validation alone — no revocation check, so its revoked tokens get 200; it is measured for throughput and CPU only, first and again last (JwtOnly2) when both are in the run, and the targets compare against the mean of the two.");
        Line();
        Line("## Throughput and latency");
        Line();
        Line($"![requests/s]({plots}-rps.svg) ![p99]({plots}-p99.svg)");
        Line();
        Line("| mode | concurrency | requests/s | p50 ms | p99 ms | max ms | unexpected non-2xx | DB queries / request | grain calls / request | API RSS MB | silo RSS MB |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Rows(m.Levels, r => Cells(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[LevelColumns.GrainCallsPerRequest], r[LevelColumns.ApiRssMb], r[LevelColumns.SiloRssMb]));
        Line();
        Line("Unexpected non-2xx: statuses other than 200/401, socket errors and timeouts (10 s), and 401s beyond the requests that carried a revoked token. DB queries per request: pg_stat_statements calls of statements on `revoked_tokens`, `revoked_sessions` or the grain storage table in the registry database, before and after the level, over the requests of the level. Grain calls per request: checks that reached a token, session or subject grain in the silo (its `revocation_token_grain_cache_hits_total`, `…_store_reads_total`, the same of `revocation_session_grain_*`, and `revocation_subject_grain_checks_total`), over the requests of the level. RSS at the end of the level.");
        Line();
        Line("## Where the CPU goes");
        Line();
        Line($"CPU milliseconds per 1 000 requests, by process, over each level (utime + stime from /proc; \"rest\" is the machine's busy time minus the three: wrk, the kernel's loopback networking, everything else). With {cores} cores shared by all of them, requests/s ≈ {cores}000 000 / (sum of the row) when the machine is saturated.");
        Line();
        Line("| mode | concurrency | API node | silo | PostgreSQL | rest (wrk, kernel) | sum |");
        Line("|---|---:|---:|---:|---:|---:|---:|");
        Rows(m.Levels.Where(r => r[LevelColumns.ApiCpu].Length > 0), r => Cells(r[1], r[2], r[LevelColumns.ApiCpu], r[LevelColumns.SiloCpu], r[LevelColumns.PostgresCpu], r[LevelColumns.RestCpu], Numbers.Whole(CpuStory.Sum(r))));
        Line();
        text.Block(CpuStory.Tell(m));
        Line();
        Line("## Targets");
        Line();
        text.Block(ChecksTargets.Table(run, m));
        Line();
        Line("## Stale reads: revoke on node A, ask node B until it rejects");
        Line();
        Line("| mode | stale accepts on B | window ms (revocation acknowledged → first rejected request sent) | B rejected within the limit | requests to B |");
        Line("|---|---:|---:|---|---:|");
        Rows(m.Stale, r => Cells(r[1], r[2], r[3], r[4], r[5]));
        Line();
        Line("B had answered the token (so a cache there holds \"not revoked\"); 4 workers then ask B as fast as it answers.");
        Line();
        Line("## Revocation latency");
        Line();
        Line("| mode | revocations (healthy) | p50 ms | p99 ms | max ms | statuses | of which telling the nodes: p50 / p99 ms (silo histogram, bucket bound) | node B paused: p50 ms | p99 ms | max ms | statuses |");
        Line("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
        Rows(m.Revocations, r => Cells(
            r[1], r[2], r[3], r[4], r[5], r[6], $"≤ {r[RevocationColumns.NotifyP50Ms]} / ≤ {r[RevocationColumns.NotifyP99Ms]}",
            Dash(r[RevocationColumns.PausedP50Ms]), Dash(r[RevocationColumns.PausedP99Ms]), Dash(r[RevocationColumns.PausedMaxMs]), Dash(r[RevocationColumns.PausedStatuses])));
        Line();
        Line("POST /auth/logout of fresh tokens through node A at concurrency 4, timed by the client: the durable write plus, with near caches, telling every API node with a lease and waiting for its acknowledgement. Then (Grain) node B is paused with SIGSTOP and 20 revocations are made at once: each returns when B's lease has run out on the registry's side (`NodeLeases:LeaseDuration`, 5 s, counted from B's last renewal), not before. In the other modes no node holds a lease, so nobody is waited for.");
        Line();
        Line($"## Airflow's pool-exhaustion scenario: {run.BurstRequests} requests at concurrency {run.BurstConcurrency}, pool of {run.BurstPool}, database {run.DbDelayMs} ms away");
        Line();
        Line("| mode | wall ms | success | p50 ms | p95 ms | p99 ms | statuses |");
        Line("|---|---:|---:|---:|---:|---:|---|");
        Rows(m.Burst, r => Cells(r[1], r[2], $"{r[BurstColumns.Succeeded]}/{r[BurstColumns.Total]}", r[5], r[6], r[7], r[8]));
        Line();
        Line($"Node B, `RevocationCheck:Database:MaxPoolSize={run.BurstPool}`, valid tokens that node A has been checking (so token grains are active) but B has not seen (its caches are cold). B's check pool reaches PostgreSQL through a TCP proxy that delays every chunk by {run.DbDelayMs} ms each way (`HttpCheckBench delay-proxy`; this kernel has no netem), so a query costs at least {2 * run.DbDelayMs} ms of round trip and a new connection several; the silo reaches the database directly. The Grain modes do not use this pool for checks. A check waits at most `RevocationCheck:Timeout` (2 s) for a connection, then fails closed (503): every 503 here is a pool timeout.");
        Line();
        Line($"## Memory after {run.Walk} distinct tokens");
        Line();
        Line("| mode | tokens/s | API RSS MB before → after | API heap MB before → after | silo RSS MB before → after | silo heap MB before → after | bytes per token (API + silo heap) | bytes per token (API + silo RSS) |");
        Line("|---|---:|---|---|---|---|---:|---:|");
        Rows(m.Memory, MemoryRow);
        Line();
        Line($"Each token used once, never seen before, through node A at concurrency 32. Heap: `dotnet_gc_last_collection_heap_size_bytes` summed over generations (after the last GC, Server GC). Per token is divided by all {run.Walk} tokens: LocalCache holds at most {run.CacheSize} answers, Database none, Grain one token grain per token until it is collected (`TokenGrain:CollectionAge`, 5 min) or shed. For the bound under memory pressure see [results-memory.md](results-memory.md) (`scripts/bench.sh memory`).");
        return text.ToString();
    }

    private static string MemoryRow(TsvRow r)
    {
        var tokens = r.Number(MemoryColumns.Tokens);
        double PerToken(int apiBefore, int apiAfter, int siloBefore, int siloAfter) =>
            tokens > 0 ? ((r.Number(apiAfter) - r.Number(apiBefore)) + (r.Number(siloAfter) - r.Number(siloBefore))) * 1_048_576 / tokens : 0;
        var heap = PerToken(MemoryColumns.ApiHeapBefore, MemoryColumns.ApiHeapAfter, MemoryColumns.SiloHeapBefore, MemoryColumns.SiloHeapAfter);
        var rss = PerToken(MemoryColumns.ApiRssBefore, MemoryColumns.ApiRssAfter, MemoryColumns.SiloRssBefore, MemoryColumns.SiloRssAfter);
        return Cells(r[1], r[3], $"{r[4]} → {r[5]}", $"{r[6]} → {r[7]}", $"{r[8]} → {r[9]}", $"{r[10]} → {r[11]}", Numbers.Fixed(heap, 0), Numbers.Fixed(rss, 0));
    }

    private static string Dash(string field) => field.Length == 0 ? "—" : field;

    private static string Cells(params string[] cells) => $"| {string.Join(" | ", cells)} |";
}
