using System.Text.RegularExpressions;

namespace Revocation.IntegrationTests.Monitoring;

/// <summary>
/// deploy/prometheus: the alert rules pass their own unit tests (alerts.test.yml) under
/// Debian's promtool, every alert has such a test, and they query only series the code exports.
/// </summary>
public sealed partial class PrometheusRulesTests
{
    [Fact]
    public async Task AlertRules_PassTheirPromtoolUnitTests()
    {
        await MonitoringTools.EnsureAsync("promtool", "prometheus");

        var (exitCode, output) = await MonitoringTools.RunAsync("promtool", ["test", "rules", RepoPaths.Deploy("prometheus", "alerts.test.yml")], TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, $"promtool test rules failed ({exitCode}):\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrometheusConfig_AndItsRules_PassPromtoolCheck()
    {
        await MonitoringTools.EnsureAsync("promtool", "prometheus");

        var (exitCode, output) = await MonitoringTools.RunAsync("promtool", ["check", "config", RepoPaths.Deploy("prometheus", "prometheus.yml")], TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, $"promtool check config failed ({exitCode}):\n{output}");
        Assert.Contains("1 rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAlert_HasAUnitTestWhereItFires()
    {
        var alerts = AlertNames();
        var tests = File.ReadAllText(RepoPaths.Deploy("prometheus", "alerts.test.yml"));

        Assert.True(alerts.Count >= 10, $"expected the registry's alerts in alerts.yml, found {alerts.Count}");
        var firing = FiringTests().Matches(tests).Select(match => match.Groups["alert"].Value).ToHashSet();
        var untested = alerts.Where(alert => !firing.Contains(alert)).ToList();
        Assert.True(untested.Count == 0, $"alerts without a test in which they fire: {string.Join(", ", untested)}");
    }

    [Fact]
    public void AlertRules_QueryOnlySeriesTheCodeExports()
    {
        var rules = File.ReadAllText(RepoPaths.Deploy("prometheus", "alerts.yml"));

        var referenced = ExportedMetrics.ReferencedIn(rules).ToList();

        Assert.NotEmpty(referenced);
        var unknown = referenced.Where(name => !ExportedMetrics.SeriesNames.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"alerts.yml queries series no instrument exports: {string.Join(", ", unknown)}");
    }

    private static List<string> AlertNames() =>
        AlertName().Matches(File.ReadAllText(RepoPaths.Deploy("prometheus", "alerts.yml"))).Select(match => match.Groups["alert"].Value).ToList();

    [GeneratedRegex(@"^\s*- alert: (?<alert>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    // An alert_rule_test entry whose exp_alerts is a list of expected alerts, not [].
    [GeneratedRegex(@"alertname: (?<alert>\w+)\s*\n\s*exp_alerts:\s*\n\s*- exp_labels:")]
    private static partial Regex FiringTests();
}
