using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Revocation.IntegrationTests.Metrics;

/// <summary>
/// Each host's readiness check is one instance, so its cached answer is shared by every request to
/// <c>/health/ready</c> (a check created per request would ask the registry or its database each time).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class ReadinessWiringTests(MetricsNode node)
{
    [Fact]
    public async Task ReadinessCheck_IsOneInstancePerHost_AndAnswersReady()
    {
        foreach (var services in new[] { node.Silos.SiloServices(0), node.Api.Services })
        {
            var ready = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Tags.Contains("ready"));
            Assert.Same(ready.Factory(services), ready.Factory(services));
        }

        using var silo = await node.SiloHttp.GetAsync("/health/ready");
        using var api = await node.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, silo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
