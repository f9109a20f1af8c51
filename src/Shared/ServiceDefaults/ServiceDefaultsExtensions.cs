using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Revocation.Hosting;

/// <summary>
/// What the silo and the API node both are as services: metrics in Prometheus' format (and over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), traces when it is, health checks, and the
/// <c>/health/live</c> and <c>/health/ready</c> endpoints orchestrators probe.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The tag of the health checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The meters every program exports besides its own: Orleans' and the runtime's.</summary>
    private static readonly string[] CommonMeters = ["Microsoft.Orleans", "System.Runtime"];

    /// <summary>
    /// Telemetry and health checks. Traces cost every request an <see cref="System.Diagnostics.Activity"/>:
    /// recorded only when there is somewhere to send them and <paramref name="telemetry"/> names something to trace.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, ServiceTelemetry telemetry)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks();
        var openTelemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter([.. telemetry.Meters, .. CommonMeters]);
            if (telemetry.HttpServer)
            {
                metrics.AddAspNetCoreInstrumentation();
            }

            metrics.AddPrometheusExporter();
        });
        if (ExportsTelemetry(builder.Configuration))
        {
            if (telemetry.HttpServer || telemetry.TraceSources.Count > 0)
            {
                openTelemetry.WithTracing(tracing =>
                {
                    if (telemetry.HttpServer)
                    {
                        tracing.AddAspNetCoreInstrumentation();
                    }

                    tracing.AddSource([.. telemetry.TraceSources]);
                });
            }

            openTelemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Whether an OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public static bool ExportsTelemetry(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>
    /// <c>/health/live</c> (the process answers; no check runs) and <c>/health/ready</c> (every
    /// check tagged <c>ready</c> passes), each with <paramref name="metadata"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, params object[] metadata)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(metadata);
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithMetadata(metadata);
        return endpoints;
    }
}

/// <summary>What a program exports besides Orleans' and the runtime's meters.</summary>
/// <param name="Meters">The program's own meters.</param>
/// <param name="HttpServer">ASP.NET Core's request metrics (and request spans when traces are exported).</param>
/// <param name="TraceSources">Activity sources recorded when traces are exported.</param>
public sealed record ServiceTelemetry(IReadOnlyList<string> Meters, bool HttpServer = false, IReadOnlyList<string>? TraceSources = null)
{
    public IReadOnlyList<string> TraceSources { get; } = TraceSources ?? [];
}
