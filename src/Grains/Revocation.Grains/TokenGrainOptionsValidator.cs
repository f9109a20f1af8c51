using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>Refuses token grain settings that Orleans would reject later or that make no sense.</summary>
public sealed class TokenGrainOptionsValidator : IValidateOptions<TokenGrainOptions>
{
    private static readonly TimeSpan MinimumCollectionAge = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, TokenGrainOptions options)
    {
        var failures = new List<string>();
        if (options.CollectionAge < MinimumCollectionAge)
        {
            failures.Add($"{TokenGrainOptions.SectionName}:{nameof(options.CollectionAge)} must be at least {MinimumCollectionAge} (was {options.CollectionAge}).");
        }

        if (options.NotRevokedMaxAge < TimeSpan.Zero)
        {
            failures.Add($"{TokenGrainOptions.SectionName}:{nameof(options.NotRevokedMaxAge)} must be zero (caching off) or positive (was {options.NotRevokedMaxAge}).");
        }

        if (options.MaxActivationsPerSilo < 0)
        {
            failures.Add($"{TokenGrainOptions.SectionName}:{nameof(options.MaxActivationsPerSilo)} must be zero (no cap) or positive (was {options.MaxActivationsPerSilo}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
