
namespace Revocation.BenchReport;

/// <summary>
/// A revocation storm next to checks (benchmarks/results-storm.md, <c>scripts/bench.sh storm</c>):
/// node B's requests/s and counters per phase, in Grain mode and in the LocalCache control, and the
/// targets of issue 21 for the storm phase.
/// </summary>
internal static class StormReport
{
    /// <summary>storm.tsv (bench.sh's <c>storm_phase</c>): one line per mode and phase; the counters are the phase's deltas.</summary>
    public static class StormColumns
    {
        public const int Mode = 1, Phase = 2, RequestsPerSecond = 3, RevocationsPerSecond = 4, LogoutStatuses = 5, Non2xx = 6, SocketErrors = 7,
            Misses = 8, Lookups = 9, NewLeases = 10, FailedRenewals = 11, RenewalsHeld = 12, LeasesGranted = 13, NoticesLapsed = 14;
    }

    public sealed record Run(string Out, bool Smoke, int Tokens, int Revocations, int Concurrency, int Seconds)
    {
        /// <exception cref="ArgumentException">An option is unknown, missing or out of range.</exception>
        public static Run From(CommandLine line)
        {
            line.RefuseOthers(["out", "smoke", "tokens", "revocations", "concurrency", "seconds"]);
            return new(line.Text("out"), line.Flag("smoke"), line.AtLeast("tokens", 2000, 1), line.AtLeast("revocations", 20_000, 1),
                line.AtLeast("concurrency", 64, 1), line.AtLeast("seconds", 10, 1));
        }
    }

    /// <exception cref="InvalidDataException">A phase's figure is not a number.</exception>
    public static string Write(Run run, IReadOnlyList<TsvRow> phases, string machine)
    {
        foreach (var row in phases)
        {
            row.Number(StormColumns.RequestsPerSecond);
            for (var column = StormColumns.Non2xx; column <= StormColumns.NoticesLapsed; column++)
            {
                row.Number(column);
            }
        }

        var text = new Markdown("A revocation storm next to checks", run.Smoke ? "Smoke run: durations of seconds, numbers are not meaningful." : null);
        void Line(string line = "") => text.Line(line);

        Line($"`scripts/bench.sh storm` — two silos, API nodes A and B, PostgreSQL, wrk and the storm client all on this machine; Grain mode (near cache on), then LocalCache mode as the control (no lease, nothing told to node B: what B loses there is the CPU the storm takes). wrk sends GET /me to node B with {run.Tokens} distinct cached tokens at concurrency 64 for {run.Seconds} s per phase: quiet, then while {run.Revocations} logouts of fresh tokens go through node A at concurrency {run.Concurrency} (the storm: in Grain mode every one is told to node B before it returns), then quiet again. Counters are the phase's deltas: node B's near-cache lookups and misses and its lease renewals that brought a new lease (cache dropped) or failed; the silos' renewals answered \"held\" (extended only to one lease past an unacknowledged notice), leases granted anew, and revocations that gave up on a node (lapsed).");
        Line();
        text.Block(machine);
        Line();
        Line("| mode | phase | B requests/s | vs quiet | revocations/s through A | logout statuses | B non-2xx | B socket errors | B misses | B lookups | B miss % | B new leases | B failed renewals | silo renewals held | silo leases granted | notices lapsed |");
        Line("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in phases)
        {
            var quiet = Phase(phases, row[StormColumns.Mode], "quiet");
            var vsQuiet = quiet is null ? "n/a" : Numbers.Ratio(row.Number(StormColumns.RequestsPerSecond), quiet.Number(StormColumns.RequestsPerSecond));
            Line($"| {row[1]} | {row[2]} | {row[3]} | {vsQuiet}× | {row[4]} | {row[5]} | {row[6]} | {row[7]} | {row[8]} | {row[9]} | {MissPercent(row)} | {row[10]} | {row[11]} | {row[12]} | {row[13]} | {row[14]} |");
        }

        Line();
        var grain = Phase(phases, "Grain", "storm");
        var local = Phase(phases, "LocalCache", "storm");
        var ratio = grain is null || local is null ? "n/a" : Numbers.Ratio(grain.Number(StormColumns.RequestsPerSecond), local.Number(StormColumns.RequestsPerSecond));
        var lost = grain?[StormColumns.NewLeases] ?? "";
        var misses = grain is null ? "" : MissPercent(grain);
        Line($"Targets (issue 21), during the storm: B's requests/s in Grain ≥ 0.9× LocalCache's — {ratio}× ({Numbers.Met(ratio, Target.AtLeast, 0.9)}); 0 leases lost — {lost} ({Numbers.Met(lost, Target.AtMost, 0)}); near-cache misses ≤ 0.5 % of lookups — {misses} % ({Numbers.Met(misses, Target.AtMost, 0.5)}).");
        Line();
        Line("The cores are shared: B's drop from quiet to storm in both modes is mostly the storm's own CPU (node A, the silos and PostgreSQL writing every revocation). What the protocol owes is in the other columns: B keeps its lease (no new lease, no lapsed notice) and its cache (misses stay near zero).");
        return text.ToString();
    }

    private static TsvRow? Phase(IReadOnlyList<TsvRow> phases, string mode, string phase) =>
        phases.FirstOrDefault(row => row[StormColumns.Mode] == mode && row[StormColumns.Phase] == phase);

    private static string MissPercent(TsvRow row)
    {
        var lookups = row.Number(StormColumns.Lookups);
        return Numbers.Fixed(lookups > 0 ? 100 * row.Number(StormColumns.Misses) / lookups : 0, 2);
    }
}
