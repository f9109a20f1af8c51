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

        return options.UsesNearCache ? ValidateNearCache(options.NearCache) : ValidateOptionsResult.Success;
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
