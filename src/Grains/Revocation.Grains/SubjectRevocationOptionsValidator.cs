using Microsoft.Extensions.Options;

namespace Revocation.Grains;

public sealed class SubjectRevocationOptionsValidator : IValidateOptions<SubjectRevocationOptions>
{
    private static readonly TimeSpan MinIssuerClockOffset = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxIssuerClockOffset = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinimumCollectionAge = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, SubjectRevocationOptions options)
    {
        const string S = SubjectRevocationOptions.SectionName;
        var failures = new List<string>();

        // Below a second, ordinary differences between clocks would refuse logouts; beyond an hour,
        // a broken clock could lock a subject out for that long.
        if (options.MaxIssuerClockOffset < MinIssuerClockOffset || options.MaxIssuerClockOffset > MaxIssuerClockOffset)
        {
            failures.Add($"{S}:{nameof(options.MaxIssuerClockOffset)} must be between {MinIssuerClockOffset} and {MaxIssuerClockOffset} (was {options.MaxIssuerClockOffset}).");
        }

        if (options.NotBeforeMaxAge < TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.NotBeforeMaxAge)} must be zero (read on every check) or positive (was {options.NotBeforeMaxAge}).");
        }

        if (options.MaxActivationsPerSilo < 0)
        {
            failures.Add($"{S}:{nameof(options.MaxActivationsPerSilo)} must be zero (no cap) or positive (was {options.MaxActivationsPerSilo}).");
        }

        if (options.CollectionAge < MinimumCollectionAge)
        {
            failures.Add($"{S}:{nameof(options.CollectionAge)} must be at least {MinimumCollectionAge} (was {options.CollectionAge}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
