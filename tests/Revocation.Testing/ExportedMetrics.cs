using System.Text.RegularExpressions;

namespace Revocation.Testing;

/// <summary>
/// The Prometheus names of the registry's own instruments, read from the source (every
/// <c>src/**/*Metrics*.cs</c>) and named the way the OpenTelemetry Prometheus exporter names them.
/// </summary>
public static partial class ExportedMetrics
{
    /// <summary>Every series name a query may use: counters with <c>_total</c>, histograms' <c>_bucket/_sum/_count</c>.</summary>
    public static IReadOnlySet<string> SeriesNames { get; } = Read();

    /// <summary>The <c>revocation_*</c> names a PromQL expression or dashboard query refers to.</summary>
    public static IEnumerable<string> ReferencedIn(string expression) =>
        RegistryName().Matches(expression).Select(match => match.Value).Distinct();

    private static HashSet<string> Read()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*Metrics*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            foreach (Match instrument in Instrument().Matches(File.ReadAllText(file)))
            {
                var kind = instrument.Groups["kind"].Value;
                var name = instrument.Groups["name"].Value.Replace('.', '_');
                if (instrument.Groups["args"].Value.Contains("unit: \"s\"", StringComparison.Ordinal))
                {
                    name += "_seconds";
                }

                switch (kind)
                {
                    case "Counter" or "ObservableCounter":
                        names.Add(name + "_total");
                        break;
                    case "Histogram":
                        names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
                        break;
                    default: // gauges and up-down counters keep their name
                        names.Add(name);
                        break;
                }
            }
        }

        return names;
    }

    [GeneratedRegex("""Create(?<kind>Counter|Histogram|UpDownCounter|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<\w+>)?\(\s*"(?<name>[a-z_.]+)"(?<args>.*?)\);""", RegexOptions.Singleline)]
    private static partial Regex Instrument();

    [GeneratedRegex(@"\brevocation_[a-z_]+\b")]
    private static partial Regex RegistryName();
}
