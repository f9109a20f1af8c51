using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>Refuses token or session grain settings that Orleans would reject later or that make no sense.</summary>
public class RevocationRowOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : RevocationRowOptions
{
    private static readonly TimeSpan MinimumCollectionAge = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        var section = options.Section;
        if (options.CollectionAge < MinimumCollectionAge)
        {
            failures.Add($"{section}:{nameof(options.CollectionAge)} must be at least {MinimumCollectionAge} (was {options.CollectionAge}).");
        }

        if (options.NotRevokedMaxAge < TimeSpan.Zero)
        {
            failures.Add($"{section}:{nameof(options.NotRevokedMaxAge)} must be zero (caching off) or positive (was {options.NotRevokedMaxAge}).");
        }

        if (options.MaxActivationsPerSilo < 0)
        {
            failures.Add($"{section}:{nameof(options.MaxActivationsPerSilo)} must be zero (no cap) or positive (was {options.MaxActivationsPerSilo}).");
        }

        AddFailures(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The rules of one kind's own settings.</summary>
    protected virtual void AddFailures(TOptions options, List<string> failures)
    {
    }
}
