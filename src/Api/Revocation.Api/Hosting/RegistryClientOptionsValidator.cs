using Microsoft.Extensions.Options;
using Revocation.AspNetCore;

namespace Revocation.Api.Hosting;

/// <summary>This node's own timeouts of registry calls (<see cref="RegistryClientOptions"/>); the connection settings are the library's to check.</summary>
internal sealed class RegistryClientOptionsValidator : IValidateOptions<RegistryClientOptions>
{
    private const string S = RevocationRegistryClientOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RegistryClientOptions options)
    {
        var failures = new List<string>();
        if (options.CallTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.CallTimeout)} must be positive (was {options.CallTimeout}).");
        }

        if (options.SweepTimeout <= TimeSpan.Zero || options.SweepTimeout > RegistryClientOptions.MaxSweepTimeout)
        {
            failures.Add($"{S}:{nameof(options.SweepTimeout)} must be positive and at most {RegistryClientOptions.MaxSweepTimeout} " +
                $"(was {options.SweepTimeout}): the sweeper's run call gives up there.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
