using System.Globalization;
using System.Net;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Hosting;

/// <summary>
/// An API node started before any silo (a fresh deployment, or every silo restarting) serves HTTP
/// at once: live for the orchestrator, not ready, and failing checks closed — then becomes ready
/// by itself when a silo appears.
/// </summary>
public sealed class ApiBeforeSiloTests
{
    private const string ClusterId = "api-before-silo";

    [Fact]
    public async Task ApiStartedBeforeAnySilo_IsLiveAtOnce_FailsClosed_AndGetsReadyWhenASiloJoins()
    {
        var tokens = new TestTokens();
        var connectionString = await TestPostgres.CreateDatabaseAsync("api_first");
        var gatewayPort = TestPorts.Free();
        var apiPort = TestPorts.Free();
        await using var api = OwnedProcess.Start(RepoPaths.ApiDll, ["--urls", $"http://127.0.0.1:{apiPort}"], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Registry__Clustering"] = "Localhost",
            ["Registry__GatewayPorts__0"] = Port(gatewayPort),
            ["Orleans__ClusterId"] = ClusterId,
            ["Jwt__SigningKey"] = tokens.HmacKeyBase64,
            ["Jwt__Issuer"] = TestTokens.Issuer,
            ["Jwt__Audience"] = TestTokens.Audience,
        }.WithClusterTls(TestCertificates.ClientSettings));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var token = tokens.Mint(jti: Guid.NewGuid().ToString("N"), sub: "early-user");

        await WaitForAsync(http, "/health/live", TimeSpan.FromSeconds(30), api);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, "/health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, "/me", token));

        var siloPort = TestPorts.Free();
        await using var silo = OwnedProcess.Start(RepoPaths.SiloDll, ["--urls", $"http://127.0.0.1:{TestPorts.Free()}"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Registry"] = connectionString,
            ["Cluster__Provider"] = "Localhost",
            ["Orleans__ClusterId"] = ClusterId,
            ["Cluster__SiloPort"] = Port(siloPort),
            ["Cluster__GatewayPort"] = Port(gatewayPort),
        }.WithClusterTls(TestCertificates.SiloSettings));

        await WaitForAsync(http, "/health/ready", TimeSpan.FromSeconds(60), silo);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/me", token));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string? token = null)
    {
        using var response = await http.SendAsync(ApiNode.Get(path, token));
        return response.StatusCode;
    }

    private static Task WaitForAsync(HttpClient http, string path, TimeSpan limit, OwnedProcess process) =>
        Eventually.HoldsAsync(
            limit,
            async () =>
            {
                try
                {
                    return await StatusAsync(http, path) == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            () => $"{path} was not 200. Output:{Environment.NewLine}{process.Output}");
}
