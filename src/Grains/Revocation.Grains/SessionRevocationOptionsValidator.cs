namespace Revocation.Grains;

/// <summary>Refuses session grain settings that Orleans would reject later or that make no sense.</summary>
public sealed class SessionRevocationOptionsValidator : RevocationRowOptionsValidator<SessionRevocationOptions>
{
    private static readonly TimeSpan MinimumRetention = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaximumRetention = TimeSpan.FromDays(366);

    protected override void AddFailures(SessionRevocationOptions options, List<string> failures)
    {
        if (options.Retention < MinimumRetention || options.Retention > MaximumRetention)
        {
            failures.Add($"{SessionRevocationOptions.SectionName}:{nameof(options.Retention)} must be between {MinimumRetention} and {MaximumRetention} (was {options.Retention}); at least the longest access-token lifetime plus Jwt:ClockSkew.");
        }
    }
}
