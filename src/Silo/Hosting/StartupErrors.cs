using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Hosting;

/// <summary>
/// Turns the failures an operator can fix (settings, an unreachable database) into one plain
/// line instead of a stack trace. Anything else is left to crash loudly.
/// </summary>
internal static class StartupErrors
{
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException ex => "invalid configuration: " + string.Join(" ", ex.Failures),
        OrleansConfigurationException ex => "invalid Orleans configuration: " + ex.Message,
        DatabaseUnavailableException ex => ex.Message,
        SchemaChangeRefusedException ex => ex.Message,
        AggregateException { InnerExceptions.Count: 1 } ex => Describe(ex.InnerException!),
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}
