namespace Revocation.BenchReport;

/// <summary>Where a run's measurement files are: the <c>out/</c> folder of the script's work folder (<c>--work</c>, BENCH_DIR).</summary>
internal static class MeasurementFolder
{
    /// <exception cref="ArgumentException">The folder has no <c>out/</c>: a mistyped <c>--work</c> would give an empty report.</exception>
    public static string Of(string work)
    {
        var folder = Path.Combine(work, "out");
        return Directory.Exists(folder) ? folder : throw new ArgumentException($"--work {work} has no out/ folder of measurements");
    }
}
