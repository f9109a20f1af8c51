using System.Net;
using Revocation.Api.Hosting;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Outside Development, metrics and OpenAPI are on the management port only, or nowhere; in
/// Development without a management port they stay on the API port.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ManagementPortTests(ApiNode api)
{
    private static readonly string[] InternalPaths = ["/metrics", "/openapi/v1.json"];

    private ApiFactory Node(string environment, bool managementPort) => new(api.Silos, api.Tokens,
        managementPort ? null : new Dictionary<string, string?> { ["Management:Url"] = null }, environment);

    [Fact]
    public async Task ProductionWithoutManagementPort_MetricsAndOpenApiAre404_HealthAnswers()
    {
        await using var node = Node("Production", managementPort: false);
        using var http = node.CreateClient();

        foreach (var path in InternalPaths)
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        }

        using var live = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task ProductionWithManagementPort_ServesThemThereOnly_AndNothingElseThere()
    {
        await using var node = Node("Production", managementPort: true);
        using var http = node.CreateClient();
        using var management = node.CreateManagementClient();
        var token = api.Tokens.Mint();

        foreach (var path in InternalPaths)
        {
            using var onApiPort = await http.GetAsync(path);
            using var onManagementPort = await management.GetAsync(path);
            Assert.True(onApiPort.StatusCode == HttpStatusCode.NotFound, $"{path} on the API port: {onApiPort.StatusCode}");
            Assert.True(onManagementPort.StatusCode == HttpStatusCode.OK, $"{path} on the management port: {onManagementPort.StatusCode}");
        }

        using var meOnManagementPort = await management.SendAsync(ApiNode.Get("/me", token));
        using var meOnApiPort = await http.SendAsync(ApiNode.Get("/me", token));
        using var readyOnManagementPort = await management.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.NotFound, meOnManagementPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, meOnApiPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyOnManagementPort.StatusCode);
    }

    [Fact]
    public async Task ApiPort_IgnoresAHostHeaderNamingTheManagementPort()
    {
        await using var node = Node("Production", managementPort: true);
        using var http = node.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = $"127.0.0.1:{node.ManagementPort}";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DevelopmentWithoutManagementPort_ServesMetricsAndOpenApiOnTheApiPort()
    {
        await using var node = Node("Development", managementPort: false);
        using var http = node.CreateClient();

        foreach (var path in InternalPaths)
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:9464", 9464)]
    [InlineData("http://+:9464", 9464)]
    [InlineData("https://[::1]:9443", 9443)]
    [InlineData("http://127.0.0.1", null)]
    [InlineData("http://[::1]", null)]
    [InlineData("ftp://127.0.0.1:21", null)]
    [InlineData("not a url", null)]
    public void ManagementUrl_NeedsAnHttpSchemeAndAnExplicitPort(string url, int? port) =>
        Assert.Equal(port, ManagementPort.TryParse(url));

    [Fact]
    public async Task InvalidManagementUrl_StopsTheNodeNamingTheSetting()
    {
        await using var node = new ApiFactory(api.Silos, api.Tokens, new Dictionary<string, string?> { ["Management:Url"] = "http://127.0.0.1" });

        var error = Assert.ThrowsAny<Exception>(() => node.CreateClient());

        Assert.Contains("Management:Url must be an http or https URL with an explicit port", error.ToString());
    }
}
