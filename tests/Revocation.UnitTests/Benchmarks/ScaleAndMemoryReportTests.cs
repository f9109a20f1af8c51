using Revocation.BenchReport;

namespace Revocation.UnitTests.Benchmarks;

/// <summary>The lease-scale and memory-bound reports (scripts/bench.sh scale / memory → benchmarks/BenchReport).</summary>
public sealed class ScaleAndMemoryReportTests
{
    private static readonly ScaleReport.Run Scale = new("x.md", "out/results-scale.svg", Smoke: false, Partitions: 1, Rate: 200, Seconds: 15, Warmup: 3, Quiet: 5);

    private const string Recovery = "1 nodes=1000 recovered=1000 all_leased_ms=2500 first_leased_ms=900 p50_leased_ms=1500 nodes_without_lease=0 longest_without_lease_ms=0 extended=3 continued=997 lapsed=0 renewals_failed=1000";

    /// <summary>A scale.tsv line: the node count, its p99 and its leases lost; the other 34 fields as LeaseScale and bench.sh write them.</summary>
    private static TsvRow Level(int nodes, string p99, int lost) => new(
    [
        nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), "3000", "3000", "0", "5.1", p99, "300.2", "3.5", "1000", lost.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "0", "0", "0", "3000", "2.0", "none", "0", "≤ 5", "≤ 25",
        "40", "10", "30", "5", "20", "3", "10", "1", "1.20", "0.30",
        "10.0", "8.0", "20.0", "16.0", "4.0", "3.0", "1.0", "0.5",
    ]);

    private static string Line(string report, string start) =>
        report.Split('\n').Single(line => line.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void TheScaleReport_JudgesP99AtTheNodeCountsThatRan_AndSumsTheLeasesLost()
    {
        var report = ScaleReport.Write(Scale, [Level(10, "12.5", 0), Level(1000, "260.0", 2)], Recovery, "");

        Assert.DoesNotContain("at 100 simulated nodes", report, StringComparison.Ordinal); // not run
        Assert.Equal("| revocation p99 ≤ 250 ms at 1000 simulated nodes | 260.0 ms | **no** |", Line(report, "| revocation p99"));
        Assert.Equal("| 0 leases lost while revoking | 2 over all node counts | **no** |", Line(report, "| 0 leases lost"));
        Assert.Equal("| 1000 | 40 | 10 | 30 | 5 | 20 | 3 | 10 | 1 | 1.20 | 0.30 |", Line(report, "| 1000 | 40"));
    }

    [Fact]
    public void TheScaleReport_ReadsTheRecoveryLine_KilledSiloFirst()
    {
        var report = ScaleReport.Write(Scale, [Level(10, "12.5", 0)], Recovery, "");

        Assert.Contains("1000 simulated nodes renewing, no revocations; once every one held a lease, `kill -9` of silo 1 ", report, StringComparison.Ordinal);
        Assert.Equal("| 1000 | 1000 | 2500 | 900 | 1500 | 0 | 0 | 3 | 997 | 0 | 1000 |", Line(report, "| 1000 | 1000 |"));
        var broken = Assert.Throws<InvalidDataException>(() => ScaleReport.Write(Scale, [], "nodes=1000", ""));
        Assert.Equal("the recovery line should start with the killed silo's index, got 'nodes=1000'", broken.Message);
    }

    [Fact]
    public void TheMemoryReport_ComparesEachPeakWithTheProcessBudgetOfItsHeapLimit()
    {
        // A 576 MiB heap limit is what .NET takes in a 768 MiB container: the peak is judged against 768.
        var run = new MemoryReport.Run("x.md", Smoke: false, Tokens: 1_000_000, HeapLimitMib: 576);
        TsvRow[] configurations =
        [
            new(["cap 100000 (default)", "1000000", "1800", "767", "650", "400.5", "100123", "900000", "200:1000000", "0", "yes"]),
            new(["cap off, shedding only", "1000000", "1700", "768", "—", "—", "—", "—", "200:999000 0:1000", "3", "no (died)"]),
        ];

        var report = MemoryReport.Write(run, configurations, "");

        Assert.Equal("| cap 100000 (default) | 1000000 | 1800 | 767 (yes) | 650 | 400.5 | 100123 | 900000 | 200:1000000 | 0 | yes |", Line(report, "| cap 100000"));
        Assert.Equal("| cap off, shedding only | 1000000 | 1700 | 768 (**no**) | — | — | — | — | 200:999000 0:1000 | 3 | no (died) |", Line(report, "| cap off"));
    }
}
