using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Xunit.Abstractions;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.AppHost;

/// <summary>
/// The Aspire AppHost (src/AppHost) runs the registry here: its PostgreSQL (scripts/postgres.sh run),
/// the migrations, two silos and two API nodes come up healthy, a logout through one API node is
/// refused on the other at once, and stopping the AppHost stops its database too.
/// </summary>
[StartEarly]
public sealed class AppHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheAppHost_BringsTheRegistryUp_AndALogoutOnOneNodeIsRefusedOnTheOther()
    {
        var basePort = LocalCluster.FreePortBlock();
        var postgresPort = LocalCluster.FreePortBlock();
        while (Math.Abs(postgresPort - basePort) < 500)
        {
            postgresPort = LocalCluster.FreePortBlock(); // outside the cluster's ports, as the AppHost requires
        }

        var postgresDir = Path.Combine(Path.GetTempPath(), $"registry-apphost-pg-{Guid.NewGuid():N}");
        string[] settings =
        [
            $"AppHost:BasePort={basePort.ToString(CultureInfo.InvariantCulture)}",
            $"AppHost:PostgresPort={postgresPort.ToString(CultureInfo.InvariantCulture)}",
            $"AppHost:PostgresDir={postgresDir}",
        ];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<string>();
        void Phase(string what) => phases.Add($"{what} {clock.Elapsed.TotalSeconds:F1} s");
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Revocation_AppHost>(settings, timeout.Token);
            await using (var app = await builder.BuildAsync(timeout.Token))
            {
                Phase("built");
                await app.StartAsync(timeout.Token);
                Phase("started");
                await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", timeout.Token);
                Phase("postgres healthy");
                await app.ResourceNotifications.WaitForResourceAsync("migrate", KnownResourceStates.Finished, timeout.Token);
                Phase("migrated");
                foreach (var resource in (string[])["silo-0", "silo-1", "api-0", "api-1"])
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
                    Phase($"{resource} healthy");
                }

                using var nodeA = app.CreateHttpClient("api-0");
                using var nodeB = app.CreateHttpClient("api-1");
                Assert.Equal(new Uri($"http://127.0.0.1:{basePort + 200}/"), new Uri(nodeA.BaseAddress!.ToString().Replace("localhost", "127.0.0.1", StringComparison.Ordinal)));
                var token = await DevelopmentTokenAsync(nodeA, timeout.Token);
                using (var onB = await nodeB.SendAsync(ApiNode.Get("/me", token), timeout.Token))
                {
                    Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
                }

                (await LogoutRoundTrip.RunAsync(nodeA, token, after: nodeB)).AssertRevoked();
                await app.StopAsync(timeout.Token);
                Phase("stopped");
            }

            Assert.True(await PortClosesAsync(postgresPort, TimeSpan.FromSeconds(60)), $"the AppHost's PostgreSQL still listens on {postgresPort} after it stopped");
            Phase("database stopped");
            ClusterReport.Write(output, nameof(TheAppHost_BringsTheRegistryUp_AndALogoutOnOneNodeIsRefusedOnTheOther), string.Join(", ", phases));
        }
        finally
        {
            if (!await PortClosesAsync(postgresPort, TimeSpan.FromSeconds(1)))
            {
                await ScriptRun.RunAsync("bash", [RepoPaths.Script("postgres.sh"), "stop"], TimeSpan.FromMinutes(1),
                    new Dictionary<string, string> { ["REGISTRY_PG_PORT"] = postgresPort.ToString(CultureInfo.InvariantCulture), ["REGISTRY_PG_DIR"] = postgresDir });
            }

            if (Directory.Exists(postgresDir))
            {
                Directory.Delete(postgresDir, recursive: true);
            }
        }
    }

    private static async Task<string> DevelopmentTokenAsync(HttpClient node, CancellationToken cancellationToken)
    {
        using var response = await node.PostAsJsonAsync("/auth/token", new { sub = $"apphost-{Guid.NewGuid():N}" }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>(cancellationToken);
        return body!["access_token"].ToString()!;
    }

    private static async Task<bool> PortClosesAsync(int port, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }
}
