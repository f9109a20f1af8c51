using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;
using Revocation.Api.Gateway;
using Revocation.Api.Issuing;
using Revocation.Api.OAuth;
using Revocation.Api.Registry;
using Revocation.AspNetCore;
using Revocation.AspNetCore.IssuerClocks;

namespace Revocation.Api.Hosting;

/// <summary>What every API node has: errors as ProblemDetails, strict JSON, small bodies, health, metrics, OpenAPI.</summary>
public static class ServiceDefaults
{
    /// <summary>Request bodies are tiny here (a token, a reason); anything larger is refused with 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<RegistryExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.Configure<FormOptions>(o =>
        {
            o.ValueCountLimit = 16;
            o.KeyLengthLimit = 64;
            o.ValueLengthLimit = (int)MaxRequestBodyBytes;
        });

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<IssuerOptions>().Bind(builder.Configuration.GetSection(IssuerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IssuerOptions>, IssuerOptionsValidator>();
        services.AddSingleton<DevTokenIssuer>();
        services.AddOptions<OAuthClientOptions>().Bind(builder.Configuration.GetSection(OAuthClientOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OAuthClientOptions>, OAuthClientOptionsValidator>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, OAuthRateLimitPolicy>(OAuthRateLimitPolicy.Name);
        });
        services.AddSingleton<RegistryCalls>();
        services.AddSingleton<SubjectNotBefore>();
        services.AddOptions<LogoutEverywhereOptions>().Bind(builder.Configuration.GetSection(LogoutEverywhereOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LogoutEverywhereOptions>, LogoutEverywhereOptionsValidator>();

        // The check (Revocation.AspNetCore) learns the issuers' clocks over this node's window.
        services.AddOptions<IssuerClockOptions>().Configure<IOptions<LogoutEverywhereOptions>>((clocks, logout) =>
            clocks.Window = logout.Value.IssuerClockWindow);

        services.AddOptions<ManagementOptions>().Bind(builder.Configuration.GetSection(ManagementOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        services.AddOptions<ForwardAuthOptions>().Bind(builder.Configuration.GetSection(ForwardAuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardAuthOptions>, ForwardAuthOptionsValidator>();
        // Envoy's gRPC ext_authz (Gateway/EnvoyAuthorizationService). No catch-all for unknown gRPC
        // services: it would answer other routes' mismatches (a form endpoint sent text/plain: 415) with 404.
        // A Check message larger than the request body limit is refused by gRPC itself
        // (RESOURCE_EXHAUSTED) before Kestrel's limit would cut the body mid-read (UNKNOWN, an error log);
        // 5 bytes are the message's length prefix.
        services.AddGrpc(grpc =>
        {
            grpc.IgnoreUnknownServices = true;
            grpc.MaxReceiveMessageSize = (int)MaxRequestBodyBytes - 5;
        });

        // One instance: its answer is cached and shared (AddCheck would otherwise create one per request).
        services.AddSingleton<RegistryHealthCheck>();
        services.AddHealthChecks().AddCheck<RegistryHealthCheck>("registry", tags: ["ready"]);
        services.AddOpenApi();

        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                // The rate limiter's meter: /oauth2/* requests refused with 429 are counted, not logged one by one.
                .AddMeter(RevocationMetrics.MeterName, "Microsoft.Orleans", "System.Runtime", "Microsoft.AspNetCore.RateLimiting")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        if (ExportsTelemetry(builder.Configuration))
        {
            // Traces cost every request an Activity (and every grain call one more, see
            // AddRegistryClient): recorded only when there is somewhere to send them.
            telemetry
                .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource(ActivitySources.ApplicationGrainActivitySourceName))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Whether an OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public static bool ExportsTelemetry(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>
    /// Health on every port. Metrics and OpenAPI describe the node's insides: with
    /// <c>Management:Url</c> they are served on that port only (<see cref="ManagementPort"/>);
    /// without it only in Development, and outside Development they do not exist (404).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(ManagementEndpoint.AndApi);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .WithMetadata(ManagementEndpoint.AndApi);
        var management = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        if (management.Url is not null || app.Environment.IsDevelopment())
        {
            app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(ManagementEndpoint.Only);
            app.MapOpenApi().WithMetadata(ManagementEndpoint.Only);
        }

        return app;
    }
}
