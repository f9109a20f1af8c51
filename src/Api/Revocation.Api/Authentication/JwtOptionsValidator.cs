using Microsoft.Extensions.Options;

namespace Revocation.Api.Authentication;

internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        const string S = JwtOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"{S}:{nameof(options.Issuer)} is not set: the issuer (iss) tokens must carry.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{S}:{nameof(options.Audience)} is not set: the audience (aud) tokens must carry.");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKey) && options.PublicKeys.Length == 0 && string.IsNullOrWhiteSpace(options.Authority))
        {
            failures.Add($"No token validation key: set {S}:{nameof(options.SigningKey)}, {S}:{nameof(options.PublicKeys)} or {S}:{nameof(options.Authority)}.");
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            try
            {
                if (Convert.FromBase64String(options.SigningKey).Length < 32)
                {
                    failures.Add($"{S}:{nameof(options.SigningKey)} must be at least 32 bytes (256 bits) once base64-decoded.");
                }
            }
            catch (FormatException)
            {
                failures.Add($"{S}:{nameof(options.SigningKey)} is not valid base64.");
            }
        }

        for (var i = 0; i < options.PublicKeys.Length; i++)
        {
            if (JwtKeys.TryReadPublicKey(options.PublicKeys[i]) is null)
            {
                failures.Add($"{S}:{nameof(options.PublicKeys)}:{i} is not a PEM-encoded RSA or EC public key.");
            }
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:{nameof(options.ClockSkew)} must be between 0 and 5 minutes (was {options.ClockSkew}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
