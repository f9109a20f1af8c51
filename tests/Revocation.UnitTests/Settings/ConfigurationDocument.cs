using System.Text.RegularExpressions;

namespace Revocation.UnitTests.Settings;

/// <summary>
/// The settings <c>docs/configuration.md</c> documents, from the first column of its tables: the
/// silo's table, the cluster TLS table (read by both programs) and the API node's table.
/// <c>…:Key</c> abbreviates the key before it with its last part replaced.
/// </summary>
public sealed partial class ConfigurationDocument
{
    private const string ApiTableIntroduction = "API node (";
    private const string ClusterTlsIntroduction = "Mutual TLS on the Orleans connections";

    private ConfigurationDocument(IReadOnlyList<string> silo, IReadOnlyList<string> clusterTls, IReadOnlyList<string> api)
    {
        Silo = [.. silo, .. clusterTls];
        Api = [.. api, .. clusterTls];
    }

    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "docs", "configuration.md");

    /// <summary>The keys documented for the silo (its table and the cluster TLS table).</summary>
    public IReadOnlyList<string> Silo { get; }

    /// <summary>The keys documented for the API node (its table and the cluster TLS table).</summary>
    public IReadOnlyList<string> Api { get; }

    public static ConfigurationDocument Read()
    {
        var tables = new Dictionary<string, List<string>> { ["silo"] = [], ["tls"] = [], ["api"] = [] };
        var current = "silo";
        foreach (var line in File.ReadLines(Path))
        {
            if (line.StartsWith(ClusterTlsIntroduction, StringComparison.Ordinal))
            {
                current = "tls";
            }
            else if (line.StartsWith(ApiTableIntroduction, StringComparison.Ordinal))
            {
                current = "api";
            }
            else if (line.StartsWith("| `", StringComparison.Ordinal))
            {
                tables[current].AddRange(KeysOf(line.Split('|')[1]));
            }
        }

        return new ConfigurationDocument(tables["silo"], tables["tls"], tables["api"]);
    }

    private static IEnumerable<string> KeysOf(string cell)
    {
        string? previous = null;
        foreach (Match match in Quoted().Matches(cell))
        {
            var key = match.Groups[1].Value;
            if (key.StartsWith("…:", StringComparison.Ordinal))
            {
                var parent = previous ?? throw new InvalidOperationException($"'{key}' abbreviates no key before it in: {cell}");
                key = parent[..parent.LastIndexOf(':')] + key[1..];
            }

            previous = key;
            yield return key;
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();
}
