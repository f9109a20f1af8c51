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

    /// <summary>Requests per status, e.g. "200×5120 401×1280 503×14".</summary>
    public static string Statuses(IEnumerable<CheckResult> results) =>
        string.Join(' ', results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
}
