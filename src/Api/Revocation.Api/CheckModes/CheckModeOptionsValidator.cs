using Microsoft.Extensions.Options;

namespace Revocation.Api.CheckModes;

internal sealed class CheckModeOptionsValidator : IValidateOptions<CheckModeOptions>
{
    private const string S = CheckModeOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, CheckModeOptions options)
    {
        if (!Enum.IsDefined(options.Mode))
        {
            return ValidateOptionsResult.Fail($"{S}:{nameof(options.Mode)} must be Grain, Database or LocalCache (was {options.Mode}).");
        }

        if (options.Mode == CheckMode.Grain)
        {
            return ValidateOptionsResult.Success;
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

        if (options.Mode == CheckMode.LocalCache)
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
}
