using System.Globalization;
using System.Net;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Api;

/// <summary>
/// The API executable in Production with its URLs on the command line, as scripts and containers
/// start it: the management URL is bound next to them. No silo is needed (the node serves HTTP
/// before the registry answers), and every port is a free one.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ManagementPortProcessTests
{
    [Fact]
    public async Task ManagementUrl_IsBoundNextToTheApiUrls_AndServesMetricsAndOpenApiThereOnly()
    {
        using var tokens = new TestTokens();
        var apiPort = TestPorts.Free();
        var managementPort = TestPorts.Free();
        await using var node = OwnedProcess.Start(RepoPaths.ApiDll, ["--urls", $"http://127.0.0.1:{Port(apiPort)}"], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Management__Url"] = $"http://127.0.0.1:{Port(managementPort)}",
            ["Registry__Clustering"] = "Localhost",
            ["Registry__GatewayPorts__0"] = Port(TestPorts.Free()),
            ["Jwt__SigningKey"] = tokens.HmacKeyBase64,
            ["Jwt__Issuer"] = TestTokens.Issuer,
            ["Jwt__Audience"] = TestTokens.Audience,
        }.WithClusterTls(TestCertificates.ClientSettings));
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port(apiPort)}"), Timeout = TimeSpan.FromSeconds(10) };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port(managementPort)}"), Timeout = TimeSpan.FromSeconds(10) };

        await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), async () => await IsOkAsync(management, "/health/live"),
            () => $"the management port did not answer. Output:{Environment.NewLine}{node.Output}");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(api, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(api, "/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, "/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(management, "/me"));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    private static async Task<bool> IsOkAsync(HttpClient http, string path)
    {
        try
        {
            return await StatusAsync(http, path) == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }
}
