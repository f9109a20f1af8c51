using Microsoft.Extensions.Options;

namespace Revocation.AspNetCore;

internal sealed class RevocationCheckOptionsValidator : IValidateOptions<RevocationCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, RevocationCheckOptions options)
    {
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(30))
        {
            return ValidateOptionsResult.Fail(
                $"{RevocationCheckOptions.SectionName}:{nameof(options.Timeout)} must be between 0 and 30 seconds (was {options.Timeout}).");
        }

        if (!Enum.IsDefined(options.FailurePolicy))
        {
            return ValidateOptionsResult.Fail(
                $"{RevocationCheckOptions.SectionName}:{nameof(options.FailurePolicy)} must be FailClosed or FailOpen (was {options.FailurePolicy}).");
        }

        return ValidateOptionsResult.Success;
    }
}
