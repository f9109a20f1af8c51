using System.Globalization;

namespace Revocation.EndToEndTests.Processes;

/// <summary>Reads values out of a Prometheus text exposition.</summary>
public static class PrometheusText
{
    /// <summary>The sum of every sample of <paramref name="name"/> (all label sets); 0 when absent.</summary>
    public static double Sum(string exposition, string name) => SampleLines(exposition, name).Sum(Value);

    /// <summary>The samples of <paramref name="name"/> whose label set has <paramref name="label"/>.</summary>
    public static int CountWithLabel(string exposition, string name, string label) =>
        SampleLines(exposition, name).Count(line => line.Contains('{') && line[..line.IndexOf('}', StringComparison.Ordinal)].Contains(label + "=\"", StringComparison.Ordinal));

    private static IEnumerable<string> SampleLines(string exposition, string name) =>
        exposition.Split('\n').Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ');

    // `name{labels} value [timestamp]`: the value is the first field after the label set.
    private static double Value(string line)
    {
        var afterLabels = line.IndexOf('}', StringComparison.Ordinal) is var close and >= 0 ? line[(close + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
        return double.Parse(afterLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }
}
