using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orleans.Diagnostics;
using Revocation.Api.Gateway;
using Revocation.Api.Issuing;
using Revocation.Api.OAuth;
using Revocation.Api.Registry;
using Revocation.AspNetCore;
using Revocation.AspNetCore.IssuerClocks;
using Revocation.Hosting;

namespace Revocation.Api.Hosting;

/// <summary>
/// The API node's application services: errors as ProblemDetails, strict JSON, small bodies, the
/// development issuer, OAuth clients and their rate limits, the registry calls behind the
/// endpoints, forward auth and Envoy's gRPC, the registry's readiness check, OpenAPI; on top of
/// the telemetry and health every program has (<see cref="ServiceDefaultsExtensions.AddServiceDefaults"/>).
/// </summary>
public static class ApiServices
{
    /// <summary>Request bodies are tiny here (a token, a reason); anything larger is refused with 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddApiServices(this WebApplicationBuilder builder)
    {
        // The rate limiter's meter: /oauth2/* requests refused with 429 are counted, not logged one by one.
        // Grain calls are spans of the request's trace when traces are exported (AddRegistryClient).
        builder.AddServiceDefaults(new ServiceTelemetry(
            [RevocationMetrics.MeterName, "Microsoft.AspNetCore.RateLimiting"],
            HttpServer: true,
            TraceSources: [ActivitySources.ApplicationGrainActivitySourceName]));
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
        services.AddValidatedOptions<IssuerOptions, IssuerOptionsValidator>(builder.Configuration.GetSection(IssuerOptions.SectionName));
        services.AddSingleton<DevTokenIssuer>();
        services.AddValidatedOptions<OAuthClientOptions, OAuthClientOptionsValidator>(builder.Configuration.GetSection(OAuthClientOptions.SectionName));
        services.AddSingleton<ClientAuthenticator>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, OAuthRateLimitPolicy>(OAuthRateLimitPolicy.Name);
        });
        services.AddSingleton<RegistryCalls>();
        services.AddSingleton<SubjectNotBefore>();
        services.AddValidatedOptions<LogoutEverywhereOptions, LogoutEverywhereOptionsValidator>(builder.Configuration.GetSection(LogoutEverywhereOptions.SectionName));

        // The check (Revocation.AspNetCore) learns the issuers' clocks over this node's window.
        services.AddOptions<IssuerClockOptions>().Configure<IOptions<LogoutEverywhereOptions>>((clocks, logout) =>
            clocks.Window = logout.Value.IssuerClockWindow);

        services.AddValidatedOptions<ManagementOptions, ManagementOptionsValidator>(builder.Configuration.GetSection(ManagementOptions.SectionName));
        services.AddValidatedOptions<ForwardAuthOptions, ForwardAuthOptionsValidator>(builder.Configuration.GetSection(ForwardAuthOptions.SectionName));
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
        services.AddHealthChecks().AddCheck<RegistryHealthCheck>("registry", tags: [ServiceDefaultsExtensions.ReadyTag]);
        services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// Health on every port. Metrics and OpenAPI describe the node's insides: with
    /// <c>Management:Url</c> they are served on that port only (<see cref="ManagementPort"/>);
    /// without it only in Development, and outside Development they do not exist (404).
    /// </summary>
    public static WebApplication MapOperationalEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints(ManagementEndpoint.AndApi);
        var management = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        if (management.Url is not null || app.Environment.IsDevelopment())
        {
            app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(ManagementEndpoint.Only);
            app.MapOpenApi().WithMetadata(ManagementEndpoint.Only);
        }

        return app;
    }
}
