using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.Api.Authentication;

/// <summary>Refuses a start without a usable issuer, naming the setting of each fault (<c>Jwt:…</c> or <c>Jwt:Issuers:N:…</c>).</summary>
internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        const string S = JwtOptions.SectionName;
        var failures = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (setting, issuer) in options.TrustedIssuers())
        {
            ValidateIssuer(setting, issuer, failures);
            if (!string.IsNullOrWhiteSpace(issuer.Issuer))
            {
                if (seen.TryGetValue(issuer.Issuer, out var first))
                {
                    failures.Add($"{setting}:{nameof(issuer.Issuer)} repeats {first}:{nameof(issuer.Issuer)} ('{issuer.Issuer}'): each issuer is listed once, with all its keys.");
                }
                else
                {
                    seen[issuer.Issuer] = setting;
                }
            }
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:{nameof(options.ClockSkew)} must be between 0 and 5 minutes (was {options.ClockSkew}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateIssuer(string s, JwtIssuerOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"{s}:{nameof(options.Issuer)} is not set: the issuer (iss) tokens must carry.");
        }
        else if (TokenInput.CheckIssuer(options.Issuer) is { } invalid)
        {
            failures.Add($"{s}:{nameof(options.Issuer)} cannot key revocations: {invalid}");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{s}:{nameof(options.Audience)} is not set: the audience (aud) tokens must carry.");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKey) && options.PublicKeys.Length == 0 && string.IsNullOrWhiteSpace(options.Authority))
        {
            failures.Add($"No token validation key: set {s}:{nameof(options.SigningKey)}, {s}:{nameof(options.PublicKeys)} or {s}:{nameof(options.Authority)}.");
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            try
            {
                if (Convert.FromBase64String(options.SigningKey).Length < 32)
                {
                    failures.Add($"{s}:{nameof(options.SigningKey)} must be at least 32 bytes (256 bits) once base64-decoded.");
                }
            }
            catch (FormatException)
            {
                failures.Add($"{s}:{nameof(options.SigningKey)} is not valid base64.");
            }
        }

        for (var i = 0; i < options.PublicKeys.Length; i++)
        {
            if (JwtKeys.TryReadPublicKey(options.PublicKeys[i]) is null)
            {
                failures.Add($"{s}:{nameof(options.PublicKeys)}:{i} is not a PEM-encoded RSA or EC public key.");
            }
        }

        if (options.BackchannelLogout.ClientId is { } clientId && string.IsNullOrWhiteSpace(clientId))
        {
            failures.Add($"{s}:{nameof(options.BackchannelLogout)}:{nameof(options.BackchannelLogout.ClientId)} is blank: set the client id the provider knows this registry by, or leave it out.");
        }

        if (!string.IsNullOrWhiteSpace(options.Authority) && !Uri.TryCreate(options.Authority, UriKind.Absolute, out _))
        {
            failures.Add($"{s}:{nameof(options.Authority)} is not an absolute URL (was '{options.Authority}').");
        }
    }
}
