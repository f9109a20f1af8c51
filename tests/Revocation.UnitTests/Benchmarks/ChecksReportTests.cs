using Revocation.BenchReport;

namespace Revocation.UnitTests.Benchmarks;

/// <summary>
/// The check modes' report (scripts/bench.sh → benchmarks/BenchReport): its ratios, floors and
/// targets from measurement files, and the arguments it refuses.
/// </summary>
public sealed class ChecksReportTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("bench-report-").FullName;

    public ChecksReportTests() => Directory.CreateDirectory(Path.Combine(_work, "out"));

    public void Dispose() => Directory.Delete(_work, recursive: true);

    // levels.tsv: mode, concurrency, requests/s, p50, p99, max, unexpected, DB queries/request, API RSS, silo RSS,
    // 401s, revoked sent, CPU ms per 1 000 requests of the API node, silo, PostgreSQL, rest, grain calls/request.
    private static string Level(string mode, int concurrency, int rps, string p99 = "9.00", int api = 40, int silo = 2, string queries = "0.000") =>
        $"{mode}\t{concurrency}\t{rps}\t2.00\t{p99}\t30.00\t0\t{queries}\t170\t200\t10\t10\t{api}\t{silo}\t0\t30\t0.002";

    private string Report(params string[] levels)
    {
        File.WriteAllLines(Path.Combine(_work, "out", "levels.tsv"), levels);
        var run = ChecksRun.From(CommandLine.Parse(["--work", _work, "--out", Path.Combine(_work, "results.md"), "--plots", Path.Combine(_work, "results")]));
        return ChecksReport.Write(run, ChecksMeasurements.Read(_work), "- Machine: (test)\n");
    }

    private static string TargetRow(string report, string target) =>
        report.Split('\n').Single(line => line.StartsWith($"| {target}", StringComparison.Ordinal));

    [Fact]
    public void TheFloor_IsTheMeanOfItsFirstAndLastMeasurement_AndARatioShownAs097_MeetsTheTarget()
    {
        var report = Report(Level("JwtOnly", 64, 10_100), Level("Grain", 64, 9_700), Level("JwtOnly2", 64, 9_900));

        Assert.Equal(
            "| requests/s ≥ 0.97× JwtOnly (JWT validation alone, the floor) at 64 | 9700 vs 10000 (floor measured first / last: 10100 / 9900): 0.97× | yes |",
            TargetRow(report, "requests/s ≥ 0.97× JwtOnly"));
    }

    [Fact]
    public void TheCpuTarget_ComparesTheApiNodeAndSiloCpuOfTheFloorWithGrains()
    {
        var report = Report(Level("JwtOnly", 64, 10_000, api: 40, silo: 0), Level("Grain", 64, 9_000, api: 60, silo: 2));

        Assert.Equal(
            "| the same in CPU: JwtOnly's API node + silo µs per request ≥ 0.97× Grain's at 64 | 40 vs 62 µs: 0.65× | **no** |",
            TargetRow(report, "the same in CPU"));
    }

    [Fact]
    public void ModesThatDidNotRun_LeaveTheirTargetsOut_AndNothingToDivideByIsNotApplicable()
    {
        var report = Report(Level("Grain", 64, 9_000, p99: "5.00", queries: "0.001"), Level("Database", 64, 0, p99: "0.00"), Level("Grain", 256, 8_000));

        Assert.DoesNotContain("LocalCache at", report, StringComparison.Ordinal);
        Assert.DoesNotContain("JwtOnly (JWT validation alone", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Database at 256", report, StringComparison.Ordinal);
        Assert.Equal("| requests/s ≥ 2× Database at 64 | 9000 vs 0: n/a× | **no** |", TargetRow(report, "requests/s ≥ 2× Database"));
        Assert.Equal("| p99 ≤ ⅓ of Database's at 64 | 5.00 ms vs 0.00 ms: n/a× | **no** |", TargetRow(report, "p99 ≤ ⅓"));
        Assert.Equal("| 0 DB queries per request at steady state | highest over the levels: 0.001 | **no** |", TargetRow(report, "0 DB queries"));
        Assert.DoesNotContain("| 0 stale accepts", report, StringComparison.Ordinal); // no stale.tsv: the probe did not run
    }

    [Fact]
    public void TheCpuStory_SaysWhatGrainCostsAgainstLocalCache_OnlyWhenLocalCacheRanAt64()
    {
        var story = Report(Level("LocalCache", 64, 9_000, api: 49, silo: 1), Level("Grain", 64, 9_000, api: 63, silo: 2));
        var none = Report(Level("Grain", 64, 9_000));

        Assert.Contains("At concurrency 64 a LocalCache request costs 80 µs of CPU in all (API node 49 µs). A Grain request with the near cache costs 95 µs (API node 63 µs, silo 2 µs, 0.002 grain calls per request): +15 µs against LocalCache.", story, StringComparison.Ordinal);
        Assert.DoesNotContain("At concurrency 64", none, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMemoryTable_DividesApiAndSiloGrowthByTheTokensWalked_AndTheTargetTheApiHeapAlone()
    {
        // mode, tokens, tokens/s, API RSS before/after, API heap before/after, silo RSS before/after, silo heap before/after (MB)
        File.WriteAllText(Path.Combine(_work, "out", "memory.tsv"), "Grain\t1024\t1220\t176\t178\t20.0\t20.125\t216\t217\t40.0\t40.0\n");
        var report = Report(Level("Grain", 64, 9_000));

        Assert.Contains("| Grain | 1220 | 176 → 178 | 20.0 → 20.125 | 216 → 217 | 40.0 → 40.0 | 128 | 3072 |", report, StringComparison.Ordinal);
        Assert.Equal("| ≤ 200 bytes of API heap per cached entry | 128 bytes per token (100000 distinct tokens, all cached) | yes |", TargetRow(report, "≤ 200 bytes"));
    }

    [Theory]
    [InlineData("--token 5", "--token is not an option here")]
    [InlineData("--seconds x", "--seconds takes a whole number, got 'x'")]
    [InlineData("--seconds 0", "--seconds must be at least 1, got 0")]
    [InlineData("--smoke yes", "--smoke takes true or false, got 'yes'")]
    [InlineData("--seconds", "expected --name value, got '--seconds'")]
    public void AnArgumentItCannotMean_IsRefusedNamingIt(string arguments, string message)
    {
        string[] line = ["--work", _work, "--out", "x.md", "--plots", "x", .. arguments.Split(' ')];

        var refused = Assert.Throws<ArgumentException>(() => ChecksRun.From(CommandLine.Parse(line)));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutMeasurements_IsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => ChecksRun.From(CommandLine.Parse(["--work", "/nonexistent", "--out", "x.md", "--plots", "x"])));

        Assert.Equal("--work /nonexistent has no out/ folder of measurements", refused.Message);
    }

    [Fact]
    public void AMeasurementThatIsNotANumber_NamesItsFieldAndRow()
    {
        var broken = Assert.Throws<InvalidDataException>(() => Report("Grain\t64\tlots"));

        Assert.Equal("field 3 of the row starting 'Grain' is 'lots', not a number", broken.Message);
    }
}
