using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Revocation.Grains;
using Revocation.Hosting;

namespace Revocation.Silo.Hosting;

/// <summary>The silo's small HTTP side: health for orchestrators, Prometheus metrics for scrapers.</summary>
public static class SiloEndpoints
{
    public static WebApplicationBuilder AddSiloEndpoints(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(new ServiceTelemetry([RegistryMetrics.MeterName]));
        // One instance: its answer is cached and shared (AddCheck would otherwise create one per request).
        builder.Services.AddSingleton<SiloHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
