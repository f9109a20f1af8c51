using Microsoft.Extensions.Options;

namespace Revocation.Api.Issuing;

/// <summary>
/// Refuses the development issuer outside Development. Refusing to start was chosen over serving it
/// on loopback only without <c>admin</c>: behind a reverse proxy or a sidecar every caller is
/// loopback, and a production node has no use for tokens that no real identity provider issued.
/// </summary>
internal sealed class IssuerOptionsValidator(IHostEnvironment environment) : IValidateOptions<IssuerOptions>
{
    public ValidateOptionsResult Validate(string? name, IssuerOptions options)
    {
        const string S = IssuerOptions.SectionName;
        var failures = new List<string>();
        if (options.Enabled == true && !environment.IsDevelopment())
        {
            failures.Add(
                $"{S}:{nameof(options.Enabled)}=true is refused outside the Development environment (environment: {environment.EnvironmentName}): " +
                "POST /auth/token would mint tokens for any subject and scope, admin included, to anyone who reaches this node. " +
                $"Remove the setting (or set it to false) and take tokens from your identity provider.");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.MaxLifetime)} must be positive (was {options.MaxLifetime}).");
        }

        if (options.DefaultLifetime <= TimeSpan.Zero || options.DefaultLifetime > options.MaxLifetime)
        {
            failures.Add(
                $"{S}:{nameof(options.DefaultLifetime)} must be positive and at most {S}:{nameof(options.MaxLifetime)} " +
                $"(was {options.DefaultLifetime}, maximum {options.MaxLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
