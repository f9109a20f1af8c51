using System.Globalization;
using System.Net;

namespace Revocation.EndToEndTests.Api;

/// <summary>
/// The API executable in Production with its URLs on the command line, as scripts and containers
/// start it: the management URL is bound next to them; or with Kestrel endpoints, as an Envoy
/// deployment configures them (docs/gateways.md). No silo is needed (the node serves HTTP
/// before the registry answers), and every port is a free one.
/// </summary>
public sealed class ManagementPortProcessTests
{
    [Fact]
    public async Task ManagementUrl_IsBoundNextToTheApiUrls_AndServesMetricsAndOpenApiThereOnly()
    {
        using var tokens = new TestTokens();
        var apiPort = TestPorts.Free();
        var managementPort = TestPorts.Free();
        await using var node = StartNode(tokens, ["--urls", $"http://127.0.0.1:{Port(apiPort)}"], managementPort, []);
        using var api = Client(apiPort);
        using var management = Client(managementPort);
        await AwaitLiveAsync(management, node);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(api, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(api, "/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, "/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(management, "/me"));
    }

    [Fact]
    public async Task KestrelEndpoints_AsDocumentedForEnvoy_ServeTheApi_TheManagementPort_AndGrpcExtAuthzOverCleartextHttp2()
    {
        using var tokens = new TestTokens();
        var (apiPort, managementPort, grpcPort) = (TestPorts.Free(), TestPorts.Free(), TestPorts.Free());
        // docs/gateways.md, "Envoy, gRPC ext_authz": Kestrel endpoints replace the URL list, so the API
        // and management ports are endpoints too, and the gRPC one speaks HTTP/2 only.
        await using var node = StartNode(tokens, [], managementPort, new()
        {
            ["Kestrel__Endpoints__Api__Url"] = $"http://127.0.0.1:{Port(apiPort)}",
            ["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{Port(managementPort)}",
            ["Kestrel__Endpoints__ExtAuthz__Url"] = $"http://127.0.0.1:{Port(grpcPort)}",
            ["Kestrel__Endpoints__ExtAuthz__Protocols"] = "Http2",
        });
        using var api = Client(apiPort);
        using var management = Client(managementPort);
        await AwaitLiveAsync(management, node);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(api, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, "/metrics"));
        Assert.DoesNotContain("is not among the addresses Kestrel bound", node.Output);

        // No token: refused without asking the registry (no silo runs here).
        var refused = await EnvoyExtAuthz.CheckAsync(grpcPort, new Dictionary<string, string> { ["x-request-id"] = "1" });
        Assert.Equal(16, refused.Status.Code);
        Assert.Equal(Revocation.Api.Gateway.ExtAuthz.HttpStatus.Types.StatusCode.Unauthorized, refused.DeniedResponse.Status.Code);
        Assert.Contains(refused.DeniedResponse.Headers, h => h.Header.Key == "www-authenticate" && h.Header.Value == "Bearer");
    }

    /// <summary>The API executable in Production, its management URL on <paramref name="managementPort"/>, with <paramref name="settings"/> on top.</summary>
    private static OwnedProcess StartNode(TestTokens tokens, string[] args, int managementPort, Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Management__Url"] = $"http://127.0.0.1:{Port(managementPort)}",
            ["Registry__Clustering"] = "Localhost",
            ["Registry__GatewayPorts__0"] = Port(TestPorts.Free()),
            ["Jwt__SigningKey"] = tokens.HmacKeyBase64,
            ["Jwt__Issuer"] = TestTokens.Issuer,
            ["Jwt__Audience"] = TestTokens.Audience,
        };
        return OwnedProcess.Start(RepoPaths.ApiDll, args, environment.WithClusterTls(TestCertificates.ClientSettings));
    }

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port(port)}"), Timeout = TimeSpan.FromSeconds(10) };

    private static Task AwaitLiveAsync(HttpClient management, OwnedProcess node) =>
        Eventually.HoldsAsync(TimeSpan.FromSeconds(30), async () => await IsOkAsync(management, "/health/live"),
            () => $"the management port did not answer. Output:{Environment.NewLine}{node.Output}");

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
