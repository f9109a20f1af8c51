using Microsoft.Extensions.Options;

namespace Revocation.Api.Oidc;

internal sealed class BackchannelLogoutOptionsValidator : IValidateOptions<BackchannelLogoutOptions>
{
    internal static readonly TimeSpan MinTokenAge = TimeSpan.FromSeconds(10);
    internal static readonly TimeSpan MaxTokenAge = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, BackchannelLogoutOptions options) =>
        options.MaxTokenAge < MinTokenAge || options.MaxTokenAge > MaxTokenAge
            ? ValidateOptionsResult.Fail(
                $"{BackchannelLogoutOptions.SectionName}:{nameof(options.MaxTokenAge)} must be between {MinTokenAge} and {MaxTokenAge} (was {options.MaxTokenAge}).")
            : ValidateOptionsResult.Success;
}
