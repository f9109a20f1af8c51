using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.Client;

/// <summary>A host with nothing but <c>AddRevocationRegistryClient</c> over the given settings (Development: no TLS needed).</summary>
internal static class RegistryClientHost
{
    public static IHost Build(IEnumerable<KeyValuePair<string, string?>> settings, LogSink? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.AddRevocationRegistryClient();
        return builder.Build();
    }

    /// <summary>A start failure's message and those of what it wraps (the host aggregates its services' failures).</summary>
    public static string Describe(Exception failure) => failure switch
    {
        AggregateException all => string.Join(" | ", all.InnerExceptions.Select(Describe)),
        { InnerException: { } inner } => $"{failure.Message} | {Describe(inner)}",
        _ => failure.Message,
    };
}
