using System.Globalization;

namespace Revocation.EndToEndTests.Hosting;

/// <summary>The silo executable itself: `migrate`, and refusing to start on bad settings.</summary>
public sealed class SiloProcessTests
{
    [Fact]
    public async Task MigrateCommand_AppliesTheSchemaAndExits()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("silo_migrate");

        var (exitCode, output) = await RunSiloAsync(["migrate"], ("ConnectionStrings__Registry", connectionString));

        Assert.True(exitCode == 0, output);
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(connectionString, "SELECT count(*) FROM revoked_tokens"));
    }

    [Fact]
    public async Task MissingConnectionString_StopsTheSiloWithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await RunSiloAsync([], ("ConnectionStrings__Registry", ""));

        Assert.Equal(1, exitCode);
        Assert.Contains("ConnectionStrings:Registry is not set", output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }

    [Fact]
    public async Task InvalidSetting_StopsTheSiloNamingTheSetting()
    {
        var (exitCode, output) = await RunSiloAsync([], ("TokenGrain__CollectionAge", "00:00:10"));

        Assert.Equal(1, exitCode);
        Assert.Contains("TokenGrain:CollectionAge must be at least 00:01:00", output);
    }

    [Fact]
    public async Task InvalidClusterSetting_StopsTheSiloNamingTheSetting()
    {
        var (exitCode, output) = await RunSiloAsync([], ("Cluster__GatewayPort", "70000"));

        Assert.Equal(1, exitCode);
        Assert.Contains("Cluster:GatewayPort must be between 1 and 65535 (was 70000)", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task NoClusterTlsOutsideDevelopment_StopsTheSiloNamingTheSettings()
    {
        var (exitCode, output) = await RunSiloAsync(
            [], ("ClusterTls__CertificatePath", ""), ("ClusterTls__KeyPath", ""), ("ClusterTls__CaPath", ""), ("ConnectionStrings__Registry", "Host=127.0.0.1;Port=1;Database=none"));

        Assert.Equal(1, exitCode);
        Assert.Contains("ClusterTls:CertificatePath, ClusterTls:KeyPath and ClusterTls:CaPath are required outside Development (environment: Production)", output);
        Assert.Contains("ClusterTls:AllowUnauthenticatedClusterAccess=true", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static async Task<(int ExitCode, string Output)> RunSiloAsync(string[] args, params (string Name, string Value)[] environment)
    {
        // Keep a silo that unexpectedly starts off the development ports.
        var settings = new Dictionary<string, string>
        {
            ["Cluster__SiloPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{TestPorts.Free()}",
        }.WithClusterTls(TestCertificates.SiloSettings);
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        await using var silo = OwnedProcess.Start(RepoPaths.SiloDll, args, settings);
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, silo.Output);
    }
}
