using Microsoft.Extensions.Options;

namespace Revocation.Api.Hosting;

internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        if (options.Url is null)
        {
            return ValidateOptionsResult.Success;
        }

        return ManagementPort.TryParse(options.Url) is null
            ? ValidateOptionsResult.Fail(
                $"{ManagementOptions.SectionName}:{nameof(options.Url)} must be an http or https URL with an explicit port between 1 and 65535, e.g. http://127.0.0.1:9464 (was '{options.Url}').")
            : ValidateOptionsResult.Success;
    }
}
