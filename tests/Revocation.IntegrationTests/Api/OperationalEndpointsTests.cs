using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Revocation.Api.Hosting;
using Revocation.Hosting;

namespace Revocation.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class OperationalEndpointsTests(ApiNode api)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_IsHealthyWhileTheRegistryAnswers(string path)
    {
        using var response = await api.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Tracing_IsOffWithoutAnExporter()
    {
        // Without OTEL_EXPORTER_OTLP_ENDPOINT every request would build an Activity for nothing.
        Assert.Null(api.Factory.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(" ", false)]
    [InlineData("http://127.0.0.1:4317", true)]
    public void TelemetryIsExported_OnlyWithAnOtlpEndpoint(string? endpoint, bool exported)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint })
            .Build();

        Assert.Equal(exported, ServiceDefaultsExtensions.ExportsTelemetry(configuration));
    }

    [Fact]
    public async Task OpenApi_DescribesTheContractPaths()
    {
        using var management = api.Factory.CreateManagementClient();
        using var document = JsonDocument.Parse(await management.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        foreach (var path in new[] { "/auth/logout", "/me", "/oauth2/revoke", "/oauth2/introspect",
                     "/admin/tokens/{jti}", "/admin/tokens/{jti}/revoke", "/admin/tokens/{jti}/evict" })
        {
            Assert.Contains(path, paths);
        }

        Assert.DoesNotContain("/auth/token", paths); // the development issuer: Development only
    }

    [Fact]
    public async Task ExpiryWithinTheClockSkew_IsStillAccepted()
    {
        var now = DateTimeOffset.UtcNow;
        var token = api.Tokens.Mint(overrides: new Dictionary<string, object?>
        {
            ["exp"] = now.AddSeconds(-10).ToUnixTimeSeconds(), // default skew: 30 s
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
        });

        using var response = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
