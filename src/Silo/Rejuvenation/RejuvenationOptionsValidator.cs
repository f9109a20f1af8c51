using Revocation.Silo.Clustering;
using Microsoft.Extensions.Options;
using Revocation.Silo.Hosting;

namespace Revocation.Silo.Rejuvenation;

/// <param name="provider">
/// The cluster's <c>Cluster:Provider</c>: turns are coordinated through the membership table in
/// PostgreSQL, which localhost clustering does not write.
/// </param>
public sealed class RejuvenationOptionsValidator(ClusterProvider provider = ClusterProvider.AdoNet) : IValidateOptions<RejuvenationOptions>
{
    /// <summary>A graceful shutdown may take 30 s; a turn shorter than that could end while its holder is still leaving.</summary>
    public static readonly TimeSpan MinTurnTimeout = TimeSpan.FromSeconds(5);

    public ValidateOptionsResult Validate(string? name, RejuvenationOptions options)
    {
        const string S = RejuvenationOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxLifetime is { } lifetime && lifetime < TimeSpan.FromSeconds(10))
        {
            failures.Add($"{S}:{nameof(options.MaxLifetime)} must be at least 00:00:10, or unset to switch recycling by age off (was {lifetime}).");
        }

        if (double.IsNaN(options.Jitter) || options.Jitter is < 0 or > 0.9)
        {
            failures.Add($"{S}:{nameof(options.Jitter)} must be a fraction between 0 and 0.9 (was {options.Jitter}).");
        }

        if (options.MemoryLimit is not null && !ByteSize.TryParse(options.MemoryLimit, out _))
        {
            failures.Add($"{S}:{nameof(options.MemoryLimit)} must be a positive number of bytes, optionally with a unit (e.g. 768MiB, 2GiB), or unset (was '{options.MemoryLimit}').");
        }

        if (options.MemoryMinUptime < TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.MemoryMinUptime)} must not be negative (was {options.MemoryMinUptime}).");
        }

        if (options.MaxConcurrent < 1)
        {
            failures.Add($"{S}:{nameof(options.MaxConcurrent)} must be at least 1 (was {options.MaxConcurrent}).");
        }

        if (options.MinSilos < 0)
        {
            failures.Add($"{S}:{nameof(options.MinSilos)} must not be negative (was {options.MinSilos}).");
        }

        if (options.TurnTimeout < MinTurnTimeout)
        {
            failures.Add($"{S}:{nameof(options.TurnTimeout)} must be at least {MinTurnTimeout}; keep it above a graceful shutdown plus a restart (was {options.TurnTimeout}).");
        }

        if (options.CheckPeriod < TimeSpan.FromMilliseconds(100) || options.CheckPeriod > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{S}:{nameof(options.CheckPeriod)} must be between 00:00:00.1 and 00:10:00 (was {options.CheckPeriod}).");
        }

        if (options.Enabled && provider != ClusterProvider.AdoNet)
        {
            failures.Add($"{S}:{nameof(options.MaxLifetime)} and {S}:{nameof(options.MemoryLimit)} need {RegistryClusterOptions.SectionName}:{nameof(RegistryClusterOptions.Provider)}={ClusterProvider.AdoNet}: " +
                $"recycling turns are decided from the membership table in PostgreSQL, which {ClusterProvider.Localhost} clustering does not write (was {provider}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
