namespace Revocation.BenchReport;

/// <summary>
/// What a run of the check modes measured, one file per step of scripts/bench.sh (under
/// <c>out/</c>). The column numbers are the order in which the script writes each file's fields.
/// </summary>
internal sealed record ChecksMeasurements(
    IReadOnlyList<TsvRow> Levels,
    IReadOnlyList<TsvRow> Stale,
    IReadOnlyList<TsvRow> Revocations,
    IReadOnlyList<TsvRow> Burst,
    IReadOnlyList<TsvRow> Memory)
{
    public static ChecksMeasurements Read(string work)
    {
        var outFolder = MeasurementFolder.Of(work);
        return new(
            Numeric(TsvRow.ReadAll(Path.Combine(outFolder, "levels.tsv")), 2..17),
            Numeric(TsvRow.ReadAll(Path.Combine(outFolder, "stale.tsv")), 2..3, 5..5),
            Numeric(TsvRow.ReadAll(Path.Combine(outFolder, "revocations.tsv")), 2..5, 7..9), // the notify bounds may be +Inf or —
            Numeric(TsvRow.ReadAll(Path.Combine(outFolder, "burst.tsv")), 2..7),
            Numeric(TsvRow.ReadAll(Path.Combine(outFolder, "memory.tsv")), 2..11));
    }

    /// <summary>The rows, once every field of <paramref name="columns"/> read as a number (or is empty): a broken measurement stops the report.</summary>
    /// <exception cref="InvalidDataException">A field is not a number.</exception>
    private static IReadOnlyList<TsvRow> Numeric(IReadOnlyList<TsvRow> rows, params Range[] columns)
    {
        foreach (var row in rows)
        {
            foreach (var range in columns)
            {
                for (var column = range.Start.Value; column <= range.End.Value; column++)
                {
                    row.Number(column);
                }
            }
        }

        return rows;
    }

    /// <summary>The level of <paramref name="mode"/> at <paramref name="concurrency"/>, if it ran.</summary>
    public TsvRow? LevelOf(string mode, int concurrency) =>
        Levels.FirstOrDefault(row => row[LevelColumns.Mode] == mode && row[LevelColumns.Concurrency] == concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>levels.tsv: one line per mode and concurrency (bench.sh's <c>throughput</c>).</summary>
    public static class LevelColumns
    {
        public const int Mode = 1, Concurrency = 2, RequestsPerSecond = 3, P50Ms = 4, P99Ms = 5, MaxMs = 6, Unexpected = 7,
            DbQueriesPerRequest = 8, ApiRssMb = 9, SiloRssMb = 10, Status401 = 11, RevokedSent = 12,
            ApiCpu = 13, SiloCpu = 14, PostgresCpu = 15, RestCpu = 16, GrainCallsPerRequest = 17;
    }

    /// <summary>stale.tsv (bench.sh's <c>stale_probe</c>).</summary>
    public static class StaleColumns
    {
        public const int Mode = 1, StaleAccepts = 2, WindowMs = 3, RejectedInTime = 4, Requests = 5;
    }

    /// <summary>revocations.tsv (bench.sh's <c>revocation_latency</c>): healthy, then with node B paused, then the silo's notify quantiles.</summary>
    public static class RevocationColumns
    {
        public const int Mode = 1, Count = 2, P50Ms = 3, P99Ms = 4, MaxMs = 5, Statuses = 6,
            PausedP50Ms = 7, PausedP99Ms = 8, PausedMaxMs = 9, PausedStatuses = 10, NotifyP50Ms = 11, NotifyP99Ms = 12;
    }

    /// <summary>burst.tsv (bench.sh's <c>pool_burst</c>).</summary>
    public static class BurstColumns
    {
        public const int Mode = 1, WallMs = 2, Succeeded = 3, Total = 4, P50Ms = 5, P95Ms = 6, P99Ms = 7, Statuses = 8;
    }

    /// <summary>memory.tsv (bench.sh's <c>memory_walk</c>): RSS and heap in MB before and after, API node then silo.</summary>
    public static class MemoryColumns
    {
        public const int Mode = 1, Tokens = 2, TokensPerSecond = 3, ApiRssBefore = 4, ApiRssAfter = 5, ApiHeapBefore = 6, ApiHeapAfter = 7,
            SiloRssBefore = 8, SiloRssAfter = 9, SiloHeapBefore = 10, SiloHeapAfter = 11;
    }
}
