using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Monitoring;

/// <summary>
/// Debian's Prometheus, run with the repository's deploy/prometheus/prometheus.yml (moved to the
/// test cluster's port block, scraping every second), receives the registry's series from both
/// silos and both API nodes, and loads the alert rules.
/// </summary>
public sealed partial class PrometheusScrapeTests
{
    [Fact]
    public async Task RepositoryConfig_ScrapesEverySiloAndApiNode_AndLoadsTheAlerts()
    {
        await MonitoringTools.EnsureAsync("prometheus", "prometheus");
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2);
        var token = nodes.Mint();
        Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(0, token));
        Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(1, token));
        Assert.Equal(HttpStatusCode.NoContent, await nodes.LogoutAsync(0, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.MeAsync(1, token));

        var directory = Directory.CreateTempSubdirectory("registry-prometheus-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "prometheus.yml"), ConfigFor(nodes.Cluster.BasePort));
            File.Copy(RepoPaths.Deploy("prometheus", "alerts.yml"), Path.Combine(directory.FullName, "alerts.yml"));
            var port = TestPorts.Free();
            await using var prometheus = OwnedProcess.StartProgram(
                "prometheus",
                ["--config.file=prometheus.yml", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}"],
                directory.FullName);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            string Describe() => $"Prometheus output:\n{string.Join('\n', prometheus.Output.Split('\n').TakeLast(20))}";

            var silos = new[] { Target(nodes.Cluster.SiloHttp(0)), Target(nodes.Cluster.SiloHttp(1)) };
            var apis = new[] { Target(nodes.Cluster.Api(0)), Target(nodes.Cluster.Api(1)) };
            await Eventually.HoldsAsync(
                TimeSpan.FromSeconds(60),
                async () =>
                    (await InstancesAsync(http, "up{job=\"revocation-silo\"} == 1")).SetEquals(silos)
                    && (await InstancesAsync(http, "up{job=\"revocation-api\"} == 1")).SetEquals(apis),
                Describe,
                TimeSpan.FromSeconds(1));

            // Every API node's checks and lease, the lease grain's node count, and on every silo
            // the sweeper's gauge and the counters exported from 0.
            var expected = new (string Query, Func<HashSet<string>, bool> Holds)[]
            {
                ("revocation_checks_total{job=\"revocation-api\", outcome=\"ok\"} > 0", found => found.SetEquals(apis)),
                ("revocation_check_duration_seconds_bucket{job=\"revocation-api\", le=\"+Inf\"}", found => found.SetEquals(apis)),
                ("revocation_near_cache_lease_valid{job=\"revocation-api\"} == 1", found => found.SetEquals(apis)),
                ("revocation_near_cache_invalidations_total{job=\"revocation-api\", kind=\"token\"} >= 1", found => found.Count >= 1),
                ("revocation_token_grain_activations_total{job=\"revocation-silo\"} >= 1", found => found.Count >= 1), // where the token's grain is
                ("revocation_sweeper_last_success_seconds{job=\"revocation-silo\"}", found => found.SetEquals(silos)),
                ("revocation_sweeper_failures_total{job=\"revocation-silo\"} == 0", found => found.SetEquals(silos)),
                ("revocation_notify_lapsed_total{job=\"revocation-silo\"}", found => found.Count >= 1),
                ("revocation_node_leases_nodes{job=\"revocation-silo\"} == 2", found => found.Count == 1),
            };
            var missing = new List<string>();
            await Eventually.HoldsAsync(
                TimeSpan.FromSeconds(30),
                async () =>
                {
                    missing.Clear();
                    foreach (var (query, holds) in expected)
                    {
                        var found = await InstancesAsync(http, query);
                        if (!holds(found))
                        {
                            missing.Add($"{query} -> [{string.Join(", ", found)}]");
                        }
                    }

                    return missing.Count == 0;
                },
                () => $"not as expected:\n{string.Join('\n', missing)}\n{Describe()}",
                TimeSpan.FromSeconds(1));

            // Each rule evaluated without error; none fires on a healthy cluster (RevocationSweeperLate
            // is pending on a new one: nothing has been swept yet).
            var rules = new Dictionary<string, string>();
            await Eventually.HoldsAsync(
                TimeSpan.FromSeconds(15),
                async () =>
                {
                    rules = await RulesAsync(http);
                    return rules.Count >= 10 && rules.Values.All(state => state is "ok/inactive" or "ok/pending");
                },
                () => $"alert rules (health/state): {string.Join(", ", rules.Select(rule => $"{rule.Key} {rule.Value}"))}",
                TimeSpan.FromSeconds(1));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The repository's config with its cluster.sh ports (base 21000) moved to <paramref name="basePort"/>, scraping and evaluating every second.</summary>
    private static string ConfigFor(int basePort)
    {
        var config = File.ReadAllText(RepoPaths.Deploy("prometheus", "prometheus.yml"));
        var moved = DefaultTarget().Replace(config, match =>
            $"127.0.0.1:{basePort + int.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture)}");
        Assert.NotEqual(config, moved);
        return moved.Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("evaluation_interval: 15s", "evaluation_interval: 1s", StringComparison.Ordinal);
    }

    private static string Target(Uri uri) => $"{uri.Host}:{uri.Port}";

    /// <summary>The <c>instance</c> labels of the series an instant query returns (none while Prometheus is starting).</summary>
    private static async Task<HashSet<string>> InstancesAsync(HttpClient http, string query)
    {
        string body;
        try
        {
            body = await http.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        }
        catch (HttpRequestException)
        {
            return [];
        }

        using var response = JsonDocument.Parse(body);
        Assert.Equal("success", response.RootElement.GetProperty("status").GetString());
        return response.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(series => series.GetProperty("metric").GetProperty("instance").GetString()!)
            .ToHashSet();
    }

    /// <summary>Each alert rule Prometheus loaded, with its health and state ("ok/inactive").</summary>
    private static async Task<Dictionary<string, string>> RulesAsync(HttpClient http)
    {
        using var response = JsonDocument.Parse(await http.GetStringAsync("/api/v1/rules"));
        return response.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray())
            .ToDictionary(
                rule => rule.GetProperty("name").GetString()!,
                rule => $"{rule.GetProperty("health").GetString()}/{(rule.TryGetProperty("state", out var state) ? state.GetString() : "?")}");
    }

    [GeneratedRegex(@"127\.0\.0\.1:21(?<offset>[23]\d\d)\b")]
    private static partial Regex DefaultTarget();
}
