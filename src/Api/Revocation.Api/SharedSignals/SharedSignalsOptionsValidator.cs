using Microsoft.Extensions.Options;
using Revocation.Api.Authentication;

namespace Revocation.Api.SharedSignals;

/// <summary>Refuses a start with a transmitter that could never be verified or acted on, naming each setting at fault.</summary>
internal sealed class SharedSignalsOptionsValidator(IOptions<JwtOptions> jwt) : IValidateOptions<SharedSignalsOptions>
{
    public ValidateOptionsResult Validate(string? name, SharedSignalsOptions options)
    {
        const string S = SharedSignalsOptions.SectionName;
        var failures = new List<string>();
        var trusted = jwt.Value.TrustedIssuers().Select(i => i.Issuer.Issuer).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Transmitters.Count; i++)
        {
            var t = options.Transmitters[i];
            var s = $"{S}:{nameof(options.Transmitters)}:{i}";
            if (string.IsNullOrWhiteSpace(t.Issuer))
            {
                failures.Add($"{s}:{nameof(t.Issuer)} is required: the exact 'iss' of the transmitter's SETs.");
            }
            else if (!seen.TryAdd(t.Issuer, i))
            {
                failures.Add($"{s}:{nameof(t.Issuer)} repeats {S}:{nameof(options.Transmitters)}:{seen[t.Issuer]}:{nameof(t.Issuer)} ('{t.Issuer}'): list each transmitter once.");
            }

            if (string.IsNullOrWhiteSpace(t.Audience))
            {
                failures.Add($"{s}:{nameof(t.Audience)} is required: the 'aud' the transmitter sends to this receiver.");
            }

            var keySources = (t.PublicKeys.Length > 0 ? 1 : 0) + (string.IsNullOrWhiteSpace(t.JwksUri) ? 0 : 1) + (string.IsNullOrWhiteSpace(t.ConfigurationUrl) ? 0 : 1);
            if (keySources != 1)
            {
                failures.Add($"{s} needs exactly one source of keys: {nameof(t.PublicKeys)}, {nameof(t.JwksUri)} or {nameof(t.ConfigurationUrl)} (the transmitter's /.well-known/ssf-configuration); {keySources} are set.");
            }

            for (var k = 0; k < t.PublicKeys.Length; k++)
            {
                if (JwtKeys.TryReadPublicKey(t.PublicKeys[k]) is null)
                {
                    failures.Add($"{s}:{nameof(t.PublicKeys)}:{k} is not a PEM-encoded RSA or EC public key.");
                }
            }

            CheckUrl(t.JwksUri, $"{s}:{nameof(t.JwksUri)}", failures);
            CheckUrl(t.ConfigurationUrl, $"{s}:{nameof(t.ConfigurationUrl)}", failures);
            var subjectIssuer = t.SubjectIssuer ?? t.Issuer;
            if (!string.IsNullOrWhiteSpace(subjectIssuer) && !trusted.Contains(subjectIssuer))
            {
                failures.Add(t.SubjectIssuer is null
                    ? $"{s}:{nameof(t.SubjectIssuer)} is not set and {nameof(t.Issuer)} '{subjectIssuer}' is not a trusted token issuer (Jwt:Issuer or Jwt:Issuers:N:Issuer): name the issuer whose users and sessions this transmitter's events are about."
                    : $"{s}:{nameof(t.SubjectIssuer)} '{subjectIssuer}' is not a trusted token issuer (Jwt:Issuer or Jwt:Issuers:N:Issuer): its tokens are never accepted, so there is nothing to revoke.");
            }

            if (t.AuthorizationHeader is { } header && (header.Length == 0 || header.Any(c => c < 0x20 || c > 0x7e)))
            {
                failures.Add($"{s}:{nameof(t.AuthorizationHeader)} must be a non-empty header value of printable ASCII, or not set.");
            }
        }

        if (options.MaxEventAge < TimeSpan.FromMinutes(1) || options.MaxEventAge > TimeSpan.FromDays(30))
        {
            failures.Add($"{S}:{nameof(options.MaxEventAge)} must be between 1 minute and 30 days (was {options.MaxEventAge}).");
        }

        if (options.MaxNotBeforeAge < TimeSpan.Zero || options.MaxNotBeforeAge > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{S}:{nameof(options.MaxNotBeforeAge)} must be between 0 and 10 minutes, below the silos' SubjectRevocation:MaxIssuerClockOffset (was {options.MaxNotBeforeAge}).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{S}:{nameof(options.ClockSkew)} must be between 0 and 10 minutes (was {options.ClockSkew}).");
        }

        if (options.MaxSetBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add($"{S}:{nameof(options.MaxSetBytes)} must be between 1024 and 1048576 bytes (was {options.MaxSetBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(string? value, string setting, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(value) && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            failures.Add($"{setting} must be an absolute http(s) URL (was '{value}').");
        }
    }
}
