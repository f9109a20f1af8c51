using System.Globalization;
using System.Text;
using static Revocation.BenchReport.ChecksMeasurements;

namespace Revocation.BenchReport;

/// <summary>
/// The targets of the check modes (Grain mode with the near cache against LocalCache, the floor and
/// Database; stale accepts, revocation p99, heap per cached entry): one row each whose figures ran.
/// </summary>
internal static class ChecksTargets
{
    private static readonly int[] Loaded = [64, 256];

    public static string Table(ChecksRun run, ChecksMeasurements m)
    {
        var table = new StringBuilder();
        table.AppendLine("| target (Grain mode with the near cache) | measured | met |");
        table.AppendLine("|---|---|---|");
        foreach (var c in Loaded)
        {
            if (m.LevelOf("Grain", c) is { } g && m.LevelOf("LocalCache", c) is { } l)
            {
                var ratio = Numbers.Ratio(g.Number(LevelColumns.RequestsPerSecond), l.Number(LevelColumns.RequestsPerSecond));
                Row(table, $"requests/s ≥ 0.95× LocalCache at {c}, subject rule on", $"{g[LevelColumns.RequestsPerSecond]} vs {l[LevelColumns.RequestsPerSecond]}: {ratio}×", Numbers.Met(ratio, Target.AtLeast, 0.95));
            }
        }

        foreach (var c in Loaded)
        {
            if (m.LevelOf("Grain", c) is { } g && Floor(m, c, row => row.Number(LevelColumns.RequestsPerSecond)) is { } f)
            {
                var floor = Numbers.Fixed(f, 0);
                var ratio = Numbers.Ratio(g.Number(LevelColumns.RequestsPerSecond), Numbers.Parse(floor));
                Row(table, $"requests/s ≥ 0.97× JwtOnly (JWT validation alone, the floor) at {c}", $"{g[LevelColumns.RequestsPerSecond]} vs {floor}{FloorNote(m, c)}: {ratio}×", Numbers.Met(ratio, Target.AtLeast, 0.97));
            }
        }

        // CPU is steadier than requests/s on a shared machine: the API node's and silo's CPU per request.
        foreach (var c in Loaded)
        {
            if (m.LevelOf("Grain", c) is { } g && Floor(m, c, CheckCpu) is { } f)
            {
                var grain = CheckCpu(g);
                var floor = Numbers.Fixed(f, 0);
                var ratio = Numbers.Ratio(Numbers.Parse(floor), grain);
                Row(table, $"the same in CPU: JwtOnly's API node + silo µs per request ≥ 0.97× Grain's at {c}", $"{floor} vs {grain.ToString(CultureInfo.InvariantCulture)} µs: {ratio}×", Numbers.Met(ratio, Target.AtLeast, 0.97));
            }
        }

        foreach (var c in Loaded)
        {
            if (m.LevelOf("Grain", c) is { } g && m.LevelOf("Database", c) is { } d)
            {
                var ratio = Numbers.Ratio(g.Number(LevelColumns.RequestsPerSecond), d.Number(LevelColumns.RequestsPerSecond));
                Row(table, $"requests/s ≥ 2× Database at {c}", $"{g[LevelColumns.RequestsPerSecond]} vs {d[LevelColumns.RequestsPerSecond]}: {ratio}×", Numbers.Met(ratio, Target.AtLeast, 2));
            }
        }

        if (m.LevelOf("Grain", 64) is { } g64 && m.LevelOf("Database", 64) is { } d64)
        {
            var ratio = Numbers.Ratio(g64.Number(LevelColumns.P99Ms), d64.Number(LevelColumns.P99Ms));
            Row(table, "p99 ≤ ⅓ of Database's at 64", $"{g64[LevelColumns.P99Ms]} ms vs {d64[LevelColumns.P99Ms]} ms: {ratio}×", Numbers.Met(ratio, Target.AtMost, 0.3334));
        }

        var queries = Numbers.Fixed(m.Levels.Where(row => row[LevelColumns.Mode] == "Grain").Select(row => row.Number(LevelColumns.DbQueriesPerRequest)).DefaultIfEmpty(0).Max(), 3);
        Row(table, "0 DB queries per request at steady state", $"highest over the levels: {queries}", Numbers.Met(queries, Target.AtMost, 0));

        if (m.Stale.FirstOrDefault(row => row[StaleColumns.Mode] == "Grain") is { } stale)
        {
            Row(table, "0 stale accepts", stale[StaleColumns.StaleAccepts], Numbers.Met(stale[StaleColumns.StaleAccepts], Target.AtMost, 0));
        }

        if (m.Revocations.FirstOrDefault(row => row[RevocationColumns.Mode] == "Grain") is { } revocations)
        {
            Row(table, "revocation p99 ≤ 20 ms with healthy nodes", $"{revocations[RevocationColumns.P99Ms]} ms", Numbers.Met(revocations[RevocationColumns.P99Ms], Target.AtMost, 20));
        }

        if (m.Memory.FirstOrDefault(row => row[MemoryColumns.Mode] == "Grain") is { } memory && memory.Number(MemoryColumns.Tokens) > 0)
        {
            var perToken = Numbers.Fixed((memory.Number(MemoryColumns.ApiHeapAfter) - memory.Number(MemoryColumns.ApiHeapBefore)) * 1_048_576 / memory.Number(MemoryColumns.Tokens), 0);
            Row(table, "≤ 200 bytes of API heap per cached entry", $"{perToken} bytes per token ({run.Walk} distinct tokens, all cached)", Numbers.Met(perToken, Target.AtMost, 200));
        }

        return table.ToString();
    }

    /// <summary>The API node's and the silo's CPU per 1 000 requests of a level (ms), the check's own cost.</summary>
    private static double CheckCpu(TsvRow level) => level.Number(LevelColumns.ApiCpu) + level.Number(LevelColumns.SiloCpu);

    /// <summary>The floor at a level: the mean of JwtOnly and JwtOnly2 (measured first and last) where both ran.</summary>
    private static double? Floor(ChecksMeasurements m, int concurrency, Func<TsvRow, double> figure)
    {
        var floors = new[] { m.LevelOf("JwtOnly", concurrency), m.LevelOf("JwtOnly2", concurrency) }.OfType<TsvRow>().ToList();
        return floors.Count == 0 ? null : floors.Average(figure);
    }

    private static string FloorNote(ChecksMeasurements m, int concurrency) =>
        m.LevelOf("JwtOnly", concurrency) is { } first && m.LevelOf("JwtOnly2", concurrency) is { } last
            ? $" (floor measured first / last: {first[LevelColumns.RequestsPerSecond]} / {last[LevelColumns.RequestsPerSecond]})"
            : "";

    private static void Row(StringBuilder table, string target, string measured, string met) =>
        table.AppendLine($"| {target} | {measured} | {met} |");
}
