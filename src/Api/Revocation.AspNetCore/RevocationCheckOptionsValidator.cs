using Microsoft.Extensions.Options;
using Revocation.AspNetCore.NearCache;

namespace Revocation.AspNetCore;

internal sealed class RevocationCheckOptionsValidator : IValidateOptions<RevocationCheckOptions>
{
    private const string S = RevocationCheckOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RevocationCheckOptions options)
    {
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(30))
        {
            return ValidateOptionsResult.Fail($"{S}:{nameof(options.Timeout)} must be between 0 and 30 seconds (was {options.Timeout}).");
        }

        if (!Enum.IsDefined(options.FailurePolicy))
        {
            return ValidateOptionsResult.Fail($"{S}:{nameof(options.FailurePolicy)} must be FailClosed or FailOpen (was {options.FailurePolicy}).");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            return ValidateOptionsResult.Fail($"{S}:{nameof(options.Mode)} must be Grain, Database or LocalCache (was {options.Mode}).");
        }

        if (options.Mode == RevocationCheckMode.Grain)
        {
            return options.UsesNearCache ? ValidateNearCache(options.NearCache) : ValidateOptionsResult.Success;
        }

        if (options.CheckSubject == true)
        {
            return ValidateOptionsResult.Fail(
                $"{S}:{nameof(options.CheckSubject)}=true needs {S}:{nameof(options.Mode)}=Grain (was {options.Mode}): " +
                "subject-wide revocations (\"log out everywhere\") are kept by the registry's subject grains, which only the Grain mode asks.");
        }

        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{S}:{nameof(options.Database)}:{nameof(DatabaseCheckOptions.ConnectionString)} (default: ConnectionStrings:Registry) is required with {S}:{nameof(options.Mode)}={options.Mode}.");
        }

        if (options.Database.MaxPoolSize is < 1 or > 1024)
        {
            return ValidateOptionsResult.Fail(
                $"{S}:{nameof(options.Database)}:{nameof(DatabaseCheckOptions.MaxPoolSize)} must be between 1 and 1024 (was {options.Database.MaxPoolSize}).");
        }

        if (options.Mode == RevocationCheckMode.LocalCache)
        {
            if (options.LocalCache.Ttl <= TimeSpan.Zero || options.LocalCache.Ttl > TimeSpan.FromHours(1))
            {
                return ValidateOptionsResult.Fail(
                    $"{S}:{nameof(options.LocalCache)}:{nameof(LocalCacheCheckOptions.Ttl)} must be more than 0 and at most 1 hour (was {options.LocalCache.Ttl}).");
            }

            if (options.LocalCache.SizeLimit < 1)
            {
                return ValidateOptionsResult.Fail(
                    $"{S}:{nameof(options.LocalCache)}:{nameof(LocalCacheCheckOptions.SizeLimit)} must be at least 1 (was {options.LocalCache.SizeLimit}).");
            }
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult ValidateNearCache(NearCacheOptions near)
    {
        const string N = $"{S}:{nameof(RevocationCheckOptions.NearCache)}";
        if (near.RenewPeriod < TimeSpan.FromMilliseconds(100) || near.RenewPeriod > TimeSpan.FromSeconds(10))
        {
            return ValidateOptionsResult.Fail(
                $"{N}:{nameof(near.RenewPeriod)} must be between 100 ms and 10 s, and well below the silos' NodeLeases:LeaseDuration (was {near.RenewPeriod}).");
        }

        if (near.DriftMargin < TimeSpan.Zero || near.DriftMargin >= near.RenewPeriod)
        {
            return ValidateOptionsResult.Fail(
                $"{N}:{nameof(near.DriftMargin)} must be at least 0 and less than {N}:{nameof(near.RenewPeriod)} ({near.RenewPeriod}) (was {near.DriftMargin}).");
        }

        if (near.LeasePartitions is < 1 or > Abstractions.LeasePartitions.MaxCount)
        {
            return ValidateOptionsResult.Fail(
                $"{N}:{nameof(near.LeasePartitions)} must be from 1 to {Abstractions.LeasePartitions.MaxCount}, the silos' NodeLeases:Partitions (was {near.LeasePartitions}).");
        }

        if (near.SizeLimit is < 1 or > 10_000_000)
        {
            return ValidateOptionsResult.Fail($"{N}:{nameof(near.SizeLimit)} must be between 1 and 10 000 000 (was {near.SizeLimit}).");
        }

        if (near.MaxAge < TimeSpan.FromSeconds(1) || near.MaxAge > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail($"{N}:{nameof(near.MaxAge)} must be between 1 second and 1 hour (was {near.MaxAge}).");
        }

        return ValidateOptionsResult.Success;
    }
}
