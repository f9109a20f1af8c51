using System.Globalization;
using System.Text.RegularExpressions;

namespace Revocation.Testing.Hosting;

/// <summary>One scrape of a Prometheus text exposition (<c>/metrics</c>).</summary>
public sealed partial class MetricsScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private MetricsScrape(string exposition)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (Sample().Match(line) is { Success: true } sample)
            {
                var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
                _samples.Add((sample.Groups["name"].Value, labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }
    }

    public static async Task<MetricsScrape> TakeAsync(HttpClient http) => new(await http.GetStringAsync("/metrics"));

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when none.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) => _samples
        .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
        .Sum(s => s.Value);

    /// <summary>Whether any sample of <paramref name="name"/> was exposed at all.</summary>
    public bool Has(string name) => _samples.Any(s => s.Name == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[^\s]+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
