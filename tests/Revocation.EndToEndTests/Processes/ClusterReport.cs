using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// Measurements of the cluster tests (detection window, recovery, distribution): written to the
/// test output and appended to <c>.test-results/cluster-report.txt</c>, which scripts/test.sh prints.
/// </summary>
public static class ClusterReport
{
    private static readonly Lock Gate = new();

    public static void Write(ITestOutputHelper output, string test, string line)
    {
        output.WriteLine(line);
        var file = Path.Combine(RepoPaths.Root, ".test-results", "cluster-report.txt");
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.AppendAllText(file, $"{test}: {line}{Environment.NewLine}");
        }
    }

    /// <summary>
    /// Fails the test if any check was answered other than expected (a 5xx, no answer, a wrong verdict), naming the first of them and what the
    /// API nodes logged about why.
    /// </summary>
    public static void AssertNoFailedCheck(IReadOnlyCollection<CheckResult> results, LocalCluster cluster)
    {
        var failed = results.Where(r => r.Failed).ToList();
        Assert.True(
            failed.Count == 0,
            $"{failed.Count} of {results.Count} checks failed; the first (sent at → took, status): " +
            string.Join(", ", failed.Take(5).Select(r => $"{(r.At - r.Took).TotalSeconds:0.0} s → {r.Took.TotalMilliseconds:F0} ms, {r.Status}")) +
            $"\nwhat the API nodes logged:\n{cluster.CheckFailuresLogged()}");
    }

    /// <summary>Requests per status, e.g. "200×5120 401×1280 503×14".</summary>
    public static string Statuses(IEnumerable<CheckResult> results) =>
        string.Join(' ', results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
}
