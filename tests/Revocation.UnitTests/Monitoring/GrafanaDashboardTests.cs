using System.Text.Json;

namespace Revocation.UnitTests.Monitoring;

/// <summary>deploy/grafana/revocation-registry.json: importable, and every query names a series the code exports.</summary>
public sealed class GrafanaDashboardTests
{
    private static readonly string DashboardPath = RepoPaths.Deploy("grafana", "revocation-registry.json");

    [Fact]
    public void Dashboard_ParsesAsAnImportableDashboard()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = dashboard.RootElement;

        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        Assert.True(root.GetProperty("schemaVersion").GetInt32() > 0);
        // Import asks for the data source named in __inputs; every query must use it.
        var input = Assert.Single(root.GetProperty("__inputs").EnumerateArray());
        Assert.Equal("prometheus", input.GetProperty("pluginId").GetString());
        var dataSource = "${" + input.GetProperty("name").GetString() + "}";
        var ids = new HashSet<int>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            Assert.True(ids.Add(panel.GetProperty("id").GetInt32()), "panel ids must be unique");
            if (panel.GetProperty("type").GetString() == "row")
            {
                continue;
            }

            Assert.Equal(dataSource, panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
        }

        Assert.True(Queries().Count >= 20, "expected a panel for each part of the registry");
    }

    [Fact]
    public void Dashboard_QueriesOnlySeriesTheCodeExports()
    {
        var referenced = Queries().SelectMany(ExportedMetrics.ReferencedIn).ToHashSet();

        var unknown = referenced.Where(name => !ExportedMetrics.SeriesNames.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"the dashboard queries series no instrument exports: {string.Join(", ", unknown)}");
        // The series the alerts watch each have a panel.
        Assert.Superset(
            new HashSet<string>
            {
                "revocation_checks_total", "revocation_near_cache_lease_valid", "revocation_near_cache_lease_renewals_total",
                "revocation_notify_lapsed_total", "revocation_token_grain_evicted_total", "revocation_sweeper_failures_total",
                "revocation_sweeper_last_success_seconds", "revocation_node_leases_nodes",
            },
            referenced);
    }

    private static List<string> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }
}
