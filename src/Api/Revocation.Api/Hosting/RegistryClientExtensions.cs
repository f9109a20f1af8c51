using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
        // Bound and checked at start by the library's wiring below; these are this node's own timeouts.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryClientOptions>, RegistryClientOptionsValidator>());
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
