using System.Globalization;

namespace Revocation.EndToEndTests.Dashboard;

/// <summary>The silo executable refuses a dashboard it must not serve, with one line naming the setting.</summary>
public sealed class DashboardSiloStartTests
{
    [Theory]
    [InlineData("true", "http://0.0.0.0:{0}", "Dashboard:Url must be on a loopback address")]
    [InlineData("yes", "http://127.0.0.1:{0}", "Dashboard:Enabled")]
    public async Task BadDashboardSetting_StopsTheSiloNamingIt(string enabled, string url, string expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["Dashboard__Enabled"] = enabled,
            ["Dashboard__Url"] = string.Format(CultureInfo.InvariantCulture, url, TestPorts.Free()),
            // Production (no environment set), off the development ports.
            ["Cluster__SiloPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{TestPorts.Free()}",
        }.WithClusterTls(TestCertificates.SiloSettings);

        await using var silo = OwnedProcess.Start(RepoPaths.SiloDll, [], settings);
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, silo.Output);
        Assert.DoesNotContain("   at ", silo.Output);
    }
}
