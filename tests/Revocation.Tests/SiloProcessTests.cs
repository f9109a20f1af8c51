using System.Diagnostics;
using System.Globalization;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests;

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

    private static async Task<(int ExitCode, string Output)> RunSiloAsync(string[] args, params (string Name, string Value)[] environment)
    {
        var silo = RepoPaths.SiloDll;
        var start = new ProcessStartInfo("dotnet", [silo, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(silo)!,
        };
        // Keep a silo that unexpectedly starts off the development ports.
        start.Environment["Cluster__SiloPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        start.Environment["Cluster__GatewayPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        start.Environment["Urls"] = $"http://127.0.0.1:{TestPorts.Free()}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The silo did not exit within 60 s.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
