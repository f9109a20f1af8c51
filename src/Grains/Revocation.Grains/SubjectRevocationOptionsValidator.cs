using Microsoft.Extensions.Options;

namespace Revocation.Grains;

public sealed class SubjectRevocationOptionsValidator : IValidateOptions<SubjectRevocationOptions>
{
    public ValidateOptionsResult Validate(string? name, SubjectRevocationOptions options)
    {
        // API nodes accept at most 5 minutes of clock skew (Jwt:ClockSkew): a larger margin would
        // refuse fresh logins for longer without covering any token they would accept.
        var failures = new List<string>();
        if (options.IssuerClockMargin < TimeSpan.Zero || options.IssuerClockMargin > TimeSpan.FromMinutes(5))
        {
            failures.Add(
                $"{SubjectRevocationOptions.SectionName}:{nameof(options.IssuerClockMargin)} must be between 00:00:00 and 00:05:00 (was {options.IssuerClockMargin}).");
        }

        if (options.MaxActivationsPerSilo < 0)
        {
            failures.Add(
                $"{SubjectRevocationOptions.SectionName}:{nameof(options.MaxActivationsPerSilo)} must be zero (no cap) or positive (was {options.MaxActivationsPerSilo}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
