using Microsoft.Extensions.Options;

namespace Revocation.Grains;

public sealed class SubjectRevocationOptionsValidator : IValidateOptions<SubjectRevocationOptions>
{
    public ValidateOptionsResult Validate(string? name, SubjectRevocationOptions options)
    {
        // API nodes accept at most 5 minutes of clock skew (Jwt:ClockSkew): a larger margin would
        // refuse fresh logins for longer without covering any token they would accept.
        if (options.IssuerClockMargin < TimeSpan.Zero || options.IssuerClockMargin > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail(
                $"{SubjectRevocationOptions.SectionName}:{nameof(options.IssuerClockMargin)} must be between 00:00:00 and 00:05:00 (was {options.IssuerClockMargin}).");
        }

        return ValidateOptionsResult.Success;
    }
}
