using Revocation.AspNetCore;
using Revocation.Hosting;

namespace Revocation.Api.Hosting;

public static class RegistryClientExtensions
{
    /// <summary>
    /// The registry's own client wiring for adopters (<see cref="RevocationRegistryClientExtensions.AddRevocationRegistryClient{TOptions}"/>:
    /// gateways from the membership table or listed, retry until connected, mutual TLS), with this
    /// node's call timeouts validated, a warning when the registry database is reached without TLS,
    /// and each grain call a span of the request's trace when telemetry is exported.
    /// </summary>
    public static WebApplicationBuilder AddRegistryClient(this WebApplicationBuilder builder)
    {
        const string S = RevocationRegistryClientOptions.SectionName;
        builder.Services.AddOptions<RegistryClientOptions>()
            .Validate(o => o.CallTimeout > TimeSpan.Zero,
                $"{S}:{nameof(RegistryClientOptions.CallTimeout)} must be positive.")
            .Validate(o => o.SweepTimeout > TimeSpan.Zero && o.SweepTimeout <= RegistryClientOptions.MaxSweepTimeout,
                $"{S}:{nameof(RegistryClientOptions.SweepTimeout)} must be positive and at most {RegistryClientOptions.MaxSweepTimeout} (the sweeper's run call gives up there).");
        builder.Services.AddHostedService<DatabaseTransportWarning>();
        builder.AddRevocationRegistryClient<RegistryClientOptions>(client =>
        {
            if (ServiceDefaultsExtensions.ExportsTelemetry(builder.Configuration))
            {
                client.AddActivityPropagation();
            }
        });
        return builder;
    }
}
