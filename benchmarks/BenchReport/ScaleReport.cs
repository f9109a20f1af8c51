using System.Text.RegularExpressions;

namespace Revocation.BenchReport;

/// <summary>
/// The lease service against the number of API nodes (benchmarks/results-scale.md, <c>scripts/bench.sh
/// scale</c>): one row per simulated node count from scale.tsv, the recovery after the lease grain's
/// silo is killed from scale-recovery.txt, and the targets.
/// </summary>
internal static partial class ScaleReport
{
    /// <summary>
    /// scale.tsv (bench.sh's <c>scale_level</c>): LeaseScale's result fields, the silos' notification
    /// bounds, then CPU (% of a core while revoking, then while renewing only: silos, PostgreSQL,
    /// harness, the rest; ms per revocation: silos, PostgreSQL) and Orleans messages per revocation
    /// (gateway, client connections, silo to silo, local; each all and net of renewals).
    /// </summary>
    public static class ScaleColumns
    {
        public const int Nodes = 1, Made = 2, Acknowledged = 3, Failed = 4, P50Ms = 5, P99Ms = 6, MaxMs = 7, SendLagMaxMs = 8,
            RenewalsPerSecond = 9, LeasesLost = 10, LeasesLapsed = 11, RenewalsFailed = 12, NodesMissingNotices = 13,
            FewestNotices = 14, NoticeBatchesPerNode = 15, FailuresByType = 16, WarmupFailed = 17, NotifyP50Ms = 18, NotifyP99Ms = 19,
            FirstCpu = 20, LastCpu = 29, FirstMessages = 30, LastMessages = 37;
    }

    public sealed record Run(string Out, string Plot, bool Smoke, int Partitions, int Rate, int Seconds, int Warmup, int Quiet)
    {
        /// <exception cref="ArgumentException">An option is unknown, missing or out of range.</exception>
        public static Run From(CommandLine line)
        {
            line.RefuseOthers(["out", "plot", "smoke", "partitions", "rate", "seconds", "warmup", "quiet"]);
            return new(line.Text("out"), line.Text("plot"), line.Flag("smoke"), line.AtLeast("partitions", 1, 1), line.AtLeast("rate", 200, 1),
                line.AtLeast("seconds", 15, 1), line.AtLeast("warmup", 3, 0), line.AtLeast("quiet", 5, 1));
        }
    }

    /// <summary><paramref name="recovery"/> is scale-recovery.txt: the killed silo's index, then LeaseScale recover's key=value result.</summary>
    /// <exception cref="InvalidDataException">A figure is not a number, or the recovery line has no silo.</exception>
    public static string Write(Run run, IReadOnlyList<TsvRow> levels, string recovery, string machine)
    {
        foreach (var level in levels)
        {
            level.Number(ScaleColumns.Nodes);
            level.Number(ScaleColumns.LeasesLost);
        }

        var (silo, result) = recovery.Trim().Split(' ', 2) is [var first, var rest] && int.TryParse(first, out _)
            ? (first, rest)
            : throw new InvalidDataException($"the recovery line should start with the killed silo's index, got '{recovery.Trim()}'");
        var text = new Markdown("The lease service against the number of API nodes", run.Smoke ? "Smoke run: tiny node counts and durations of seconds, numbers are not meaningful." : null);
        void Line(string line = "") => text.Line(line);
        Line($"`scripts/bench.sh scale` — two silos, no API nodes: `benchmarks/LeaseScale`, one Orleans client (ADO.NET clustering), plays N API nodes, each with its own node id, listener object reference and lease ({run.Partitions} lease partition(s)), renewing every second (numbered, ±5 % jitter, random start), acknowledging every notice at once. Once every node holds a lease: {run.Warmup} s of warm-up revocations, {run.Quiet} s quiet (renewals only), then {run.Rate} revocations/s for {run.Seconds} s of fresh jtis straight through the token grains (`RevokeAsync`: durable upsert, then every leased node told and acknowledged), open loop: each sent at its scheduled instant and timed from it. PostgreSQL, both silos and the harness share this machine's cores.");
        Line();
        text.Block(machine);
        Line();
        Line($"![revocation latency against the number of nodes]({Path.GetFileName(run.Plot)})");
        Line();
        Line("| nodes | revocations | acknowledged | failed | p50 ms | p99 ms | max ms | silos' notification p50 ≤ ms | p99 ≤ ms | harness send lag max ms | renewals/s | leases lost (of which lapsed) | failed renewals | nodes missing a notice | fewest notices a node got | notice batches per node |");
        Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in levels)
        {
            Line($"| {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[7]} | {r[18]} | {r[19]} | {r[8]} | {r[9]} | {r[10]} ({r[11]}) | {r[12]} | {r[13]} | {r[14]} | {r[15]} |");
        }

        Line();
        var failures = string.Join("; ", levels.Select(r => $"{r[ScaleColumns.Nodes]} nodes: {r[ScaleColumns.FailuresByType]}"));
        var warmupFailures = string.Join("; ", levels.Select(r => $"{r[ScaleColumns.Nodes]} nodes: {r[ScaleColumns.WarmupFailed]}"));
        Line($"Failed revocations by exception type: {failures}; failed warm-up revocations (not measured): {warmupFailures}. A lease lost: a node got a new lease id after its first within the measured window (lapsed: its own lease had run out first, so a real node would have dropped its cache). Every node keeping its lease must have been told of every acknowledged revocation (\"nodes missing a notice\" counts those that were not). The silos' notification time is `revocation_notify_duration_seconds` over the window (from the durable write until every leased node acknowledged; upper bounds of its histogram buckets): the rest of a revocation's latency is the token grain's database write and the calls. The send lag is how late the harness sent a revocation after its scheduled instant: its own share of the cores.");
        Line();
        Line($"CPU from /proc (user + system ticks), in % of one core ({Environment.ProcessorCount} cores: 100 % per core) while revoking (the measured window) and while only renewing (the quiet phase before it); \"everything else\" is the rest of the machine's busy time (other work on this shared machine included; /proc/stat is read a moment after the processes' own counters, so it is approximate and can come out below 0 over a short phase). Per revocation: all CPU of the window, renewals included, over the revocations. The first node count runs first after the silos started, so its quiet phase may still carry their tiered JIT.");
        Line();
        Line("| nodes | revoking: silos % | PostgreSQL % | harness % | everything else % | renewing only: silos % | PostgreSQL % | harness % | everything else % | CPU ms/revocation: silos | PostgreSQL |");
        Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Columns(text, levels, ScaleColumns.FirstCpu, ScaleColumns.LastCpu);
        Line();
        Line("Orleans messages per revocation over the window, from the silos' /metrics, all and net of the quiet phase's rate (the renewals' messages taken out).");
        Line();
        Line("| nodes | gateway | net | on client connections | net | silo to silo | net | local | net |");
        Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Columns(text, levels, ScaleColumns.FirstMessages, ScaleColumns.LastMessages);
        Line();
        Line("Messages: gateway = `orleans_gateway_sent_total` + `orleans_gateway_received_total`; client connections = `orleans_messaging_{sent,received}_messages_size_bytes_count{ConnectionDirection=\"GatewayToClient\"}`; silo to silo = `orleans_messaging_sent_messages_size_bytes_count{ConnectionDirection=\"SiloToSilo\"}`; local = `orleans_messaging_sent_local_total`; summed over both silos.");
        Line();
        Line("## Losing the silo that holds the lease grain");
        Line();
        Line($"{Field(result, "nodes")} simulated nodes renewing, no revocations; once every one held a lease, `kill -9` of silo {silo} (the one whose `revocation_node_leases_nodes` was above 0), timed from just after the kill. A node holds a lease again with the first grant of a renewal it sent after the kill.");
        Line();
        Line("| nodes | holding a lease again | all of them after ms | first after ms | median after ms | nodes whose own lease ran out meanwhile | longest without a lease ms | same lease extended | new id, lease still held (continued) | new lease after a lapse | failed renewals |");
        Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        string[] recoveryKeys = ["nodes", "recovered", "all_leased_ms", "first_leased_ms", "p50_leased_ms", "nodes_without_lease", "longest_without_lease_ms", "extended", "continued", "lapsed", "renewals_failed"];
        Line("|" + string.Concat(recoveryKeys.Select(key => $" {Field(result, key)} |")));
        Line();
        Line("## Targets");
        Line();
        Line("| target | measured | met |");
        Line("|---|---|---|");
        P99Target(text, levels, 100, 50);
        P99Target(text, levels, 1000, 250);
        var lost = levels.Sum(r => r.Number(ScaleColumns.LeasesLost)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Line($"| 0 leases lost while revoking | {lost} over all node counts | {Numbers.Met(lost, Target.AtMost, 0)} |");
        return text.ToString();
    }

    /// <summary>The value of <paramref name="key"/> in a line of key=value pairs; empty if absent.</summary>
    public static string Field(string pairs, string key)
    {
        var match = Pair().Matches(pairs).FirstOrDefault(m => m.Groups[1].Value == key);
        return match?.Groups[2].Value ?? "";
    }

    [GeneratedRegex(@"(?:^|\s)([A-Za-z0-9_]+)=(\S*)")]
    private static partial Regex Pair();

    private static void Columns(Markdown text, IReadOnlyList<TsvRow> levels, int first, int last)
    {
        foreach (var r in levels)
        {
            text.Line($"| {r[ScaleColumns.Nodes]}" + string.Concat(Enumerable.Range(first, last - first + 1).Select(i => $" | {r[i]}")) + " |");
        }
    }

    /// <summary>A row of the targets table; none if that node count was not run.</summary>
    private static void P99Target(Markdown text, IReadOnlyList<TsvRow> levels, int nodes, int boundMs)
    {
        if (levels.FirstOrDefault(r => r.Number(ScaleColumns.Nodes) == nodes) is { } level && level[ScaleColumns.P99Ms].Length > 0)
        {
            var p99 = level[ScaleColumns.P99Ms];
            text.Line($"| revocation p99 ≤ {boundMs} ms at {nodes} simulated nodes | {p99} ms | {Numbers.Met(p99, Target.AtMost, boundMs)} |");
        }
    }
}
