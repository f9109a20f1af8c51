using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Revocation.Silo.Clustering;

/// <summary>
/// The <c>GrainDirectory</c> settings Orleans checks late or not at all: a negative range lease
/// would only fail when the distributed directory is first resolved, naming no setting.
/// </summary>
public sealed class GrainDirectoryOptionsValidator : IValidateOptions<GrainDirectoryOptions>
{
    public const string SectionName = "GrainDirectory";

    public ValidateOptionsResult Validate(string? name, GrainDirectoryOptions options) =>
        options.RangeLeaseDuration < TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"{SectionName}:{nameof(options.RangeLeaseDuration)} must be zero (no hold) or positive (was {options.RangeLeaseDuration}).")
            : ValidateOptionsResult.Success;
}
