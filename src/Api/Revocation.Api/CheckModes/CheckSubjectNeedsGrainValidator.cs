using Microsoft.Extensions.Options;
using Revocation.AspNetCore;

namespace Revocation.Api.CheckModes;

/// <summary>
/// Refuses <c>RevocationCheck:CheckSubject=true</c> next to a comparison mode, at start and on every
/// reload: subject-wide revocations are kept by the registry's subject grains, which only the Grain
/// mode asks, so the setting could not be honoured.
/// </summary>
internal sealed class CheckSubjectNeedsGrainValidator(IOptions<CheckModeOptions> modes) : IValidateOptions<RevocationCheckOptions>
{
    private const string S = CheckModeOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RevocationCheckOptions options)
    {
        var mode = modes.Value.Mode;
        return options.CheckSubject == true && mode != CheckMode.Grain
            ? ValidateOptionsResult.Fail(
                $"{S}:{nameof(options.CheckSubject)}=true needs {S}:{nameof(CheckModeOptions.Mode)}=Grain (was {mode}): " +
                "subject-wide revocations (\"log out everywhere\") are kept by the registry's subject grains, which only the Grain mode asks.")
            : ValidateOptionsResult.Success;
    }
}
