using Revocation.BenchReport;

namespace Revocation.UnitTests.Benchmarks;

/// <summary>The storm and revocation-throughput reports (scripts/bench.sh storm / revocations → benchmarks/BenchReport).</summary>
public sealed class StormAndRevocationsReportTests
{
    private static TsvRow Row(string line) => new(line.Split('\t'));

    private static string Line(string report, string start) =>
        report.Split('\n').Single(line => line.StartsWith(start, StringComparison.Ordinal));

    // storm.tsv: mode, phase, B requests/s, revocations/s through A, logout statuses, B non-2xx, B socket errors,
    // then the phase's deltas: B misses, B lookups, B new leases, B failed renewals, silo renewals held, leases granted, notices lapsed.
    private static readonly TsvRow[] Storm =
    [
        Row("Grain\tquiet\t9000\t—\t—\t0\t0\t2\t90000\t0\t0\t40\t0\t0"),
        Row("Grain\tstorm\t6000\t700\t204:20000\t0\t0\t300\t60000\t1\t0\t30\t1\t0"),
        Row("LocalCache\tquiet\t9500\t—\t—\t0\t0\t0\t0\t0\t0\t0\t0\t0"),
        Row("LocalCache\tstorm\t6500\t720\t204:20000\t0\t0\t0\t0\t0\t0\t0\t0\t0"),
    ];

    [Fact]
    public void TheStormReport_ComparesEachPhaseWithItsModesQuietOne_AndJudgesTheStormPhase()
    {
        var report = StormReport.Write(new StormReport.Run("x.md", Smoke: false, Tokens: 2000, Revocations: 20_000, Concurrency: 64, Seconds: 10), Storm, "- Machine: (test)\n");

        Assert.Equal("| Grain | storm | 6000 | 0.67× | 700 | 204:20000 | 0 | 0 | 300 | 60000 | 0.50 | 1 | 0 | 30 | 1 | 0 |", Line(report, "| Grain | storm"));
        Assert.Equal(
            "Targets (issue 21), during the storm: B's requests/s in Grain ≥ 0.9× LocalCache's — 0.92× (yes); 0 leases lost — 1 (**no**); near-cache misses ≤ 0.5 % of lookups — 0.50 % (yes).",
            Line(report, "Targets"));
    }

    [Fact]
    public void TheStormReport_WithoutTheControl_MeetsNoRatioTarget()
    {
        var report = StormReport.Write(new StormReport.Run("x.md", false, 2000, 20_000, 64, 10), Storm[..2], "");

        Assert.StartsWith("Targets (issue 21), during the storm: B's requests/s in Grain ≥ 0.9× LocalCache's — n/a× (**no**)", Line(report, "Targets"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheThroughputReport_PutsTheRegistryNextToPgbench_AndSplitsTheCpuByProcess()
    {
        // 12 000 revocations in 24 s (500/s) against pgbench's 800 tps; CPU ticks (100 per second) before and after:
        // API A, API B, silo 0, silo 1, PostgreSQL, the machine.
        var level = Row("group commit (default)\t16\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");

        var report = RevocationsReport.Write(new RevocationsReport.Run("x.md", Smoke: false, Revocations: 12_000, Seconds: 10, ClockTicksPerSecond: 100), [level], [], [], "");

        // Per revocation: API A 280 ticks × 10 000 µs / 12 000 = 233 µs, API B 233, silos 2 200 ticks → 1 833, PostgreSQL 167,
        // the machine 5 500, the rest of it (the client, the kernel) 3 033.
        Assert.Equal(
            "| group commit (default) | 16 | 500 | 20.0 | 50.0 | 204:12000 | 800 | 0.62× | yes | 233 | 233 | 1833 | 167 | 3033 | 5500 | n/a | n/a | n/a |",
            Line(report, "| group commit"));
    }

    [Fact]
    public void TheStatementCounts_GiveUpsertsAndReadsPerRevocation_AndTheRowsEachUpsertCarried()
    {
        // 12 000 revocations: 3 000 upserts carrying 12 000 rows (4 each), 11 400 reads.
        var level = Row("group commit (default)\t64\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200 300 400 500 1000 380 480 1400 1500 700 7600\t3000 12000 11400");

        var report = RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [level], [], [], "");

        Assert.EndsWith("| 5500 | 0.25 | 4.00 | 0.95 |", Line(report, "| group commit"));
    }

    [Fact]
    public void StatementCountsThatAreNotThreeNumbers_AreRefusedNamingTheField()
    {
        var level = Row("group commit (default)\t64\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200 300 400 500 1000 380 480 1400 1500 700 7600\t3000 x");

        var broken = Assert.Throws<InvalidDataException>(() => RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [level], [], [], ""));

        Assert.Equal("field 10 of the row starting 'group commit (default)' should be 3 statement counts (upserts rows reads), got '3000 x'", broken.Message);
    }

    [Fact]
    public void CpuTicksThatAreNotTwelveNumbers_AreRefusedNamingTheField()
    {
        var level = Row("group commit (default)\t16\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200");

        var broken = Assert.Throws<InvalidDataException>(() => RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [level], [], [], ""));

        Assert.Equal("field 9 of the row starting 'group commit (default)' should be 12 CPU tick counts, got '100 200'", broken.Message);
    }

    [Fact]
    public void TheWarmUpBatches_AreListedPerVariant_InTheOrderTheyRan()
    {
        var level = Row("group commit (default)\t16\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");
        TsvRow[] warmup =
        [
            Row("one row per statement\t1\t3000\t166"), Row("one row per statement\t2\t3000\t340"), Row("one row per statement\t3\t3000\t352"),
            Row("group commit (default)\t1\t3000\t180"), Row("group commit (default)\t2\t3000\t410.4"), Row("group commit (default)\t3\t3000\t430"),
        ];

        var report = RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [level], warmup, [], "");

        Assert.Equal("- one row per statement: 3 × 3000 revocations at 166, 340, 352 revocations/s", Line(report, "- one row"));
        Assert.Equal("- group commit (default): 3 × 3000 revocations at 180, 410, 430 revocations/s", Line(report, "- group commit"));
    }

    [Fact]
    public void NoWarmUpFile_NoWarmUpSection()
    {
        var level = Row("group commit (default)\t16\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");

        var report = RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [level], [], [], "");

        Assert.DoesNotContain("Warm-up", report);
    }

    [Fact]
    public void ThePacedLevel_GivesTheRateAnsweredAndItsLatencies_AgainstTheTargetOf50MsAtP99()
    {
        // 4 000 revocations sent at 400/s, answered in 10.5 s (acknowledged/s: the 204s); CPU ticks as in the throughput rows.
        var onTarget = Row("group commit, tokens in use\t400\t4000\t10500\t8.1\t42.0\t88.0\t204:4000\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");
        var over = Row("group commit (default)\t300\t3000\t10000\t12.0\t50.1\t90.0\t204:2990,503:10\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");

        var notAllSent = Row("one row per statement\t1000\t10000\t10000\t5.0\t30.0\t40.0\t-2:10,204:9990\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");

        var report = RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [], [], [onTarget, over, notAllSent], "");

        // Silos 2 200 ticks × 10 000 µs / 4 000 = 5 500 µs per revocation, the machine 6 600 ticks → 16 500.
        Assert.Equal("| group commit, tokens in use | 400 | 381 | 8.1 | 42.0 | 88.0 | 204:4000 | yes | 5500 | 16500 |", Line(report, "| group commit, tokens in use"));
        Assert.Equal("| group commit (default) | 300 | 299 | 12.0 | 50.1 | 90.0 | 204:2990,503:10 | **no** | 7333 | 22000 |", Line(report, "| group commit (default)"));
        Assert.Equal("| one row per statement | 1000 | 999 | 5.0 | 30.0 | 40.0 | -2:10,204:9990 | **no** | 2202 | 6607 |", Line(report, "| one row per statement"));
    }

    [Fact]
    public void NoPacedFile_NoPacedSection()
    {
        var level = Row("group commit (default)\t16\t12000\t24000\t20.0\t50.0\t204:12000\t800\t100 200 300 400 500 1000 380 480 1400 1500 700 7600");

        var report = RevocationsReport.Write(new RevocationsReport.Run("x.md", false, 12_000, 10, 100), [level], [], [], "");

        Assert.DoesNotContain("open loop", report);
    }
}
