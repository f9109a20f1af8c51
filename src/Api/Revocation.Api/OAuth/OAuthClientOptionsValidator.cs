using Microsoft.Extensions.Options;

namespace Revocation.Api.OAuth;

/// <summary>
/// Refuses weak, duplicate and placeholder clients and out-of-range limits at start, naming the
/// setting (<c>OAuth:Clients:N:ClientSecret</c>); never quotes a secret.
/// </summary>
internal sealed class OAuthClientOptionsValidator : IValidateOptions<OAuthClientOptions>
{
    private const int MaxPermitLimit = 1_000_000;

    // Template markers, compared without case and without separators ("CHANGE-ME", "change_me").
    // All are 8 or more letters long, so that a random secret contains one with negligible odds.
    private static readonly string[] PlaceholderMarkers = ["CHANGEME", "CHANGEIT", "REPLACEME", "PLACEHOLDER", "YOURSECRET", "YOURCLIENT"];

    public ValidateOptionsResult Validate(string? name, OAuthClientOptions options)
    {
        const string S = OAuthClientOptions.SectionName;
        var failures = new List<string>();
        var firstIndexOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var id = $"{S}:{nameof(options.Clients)}:{i}:{nameof(client.ClientId)}";
            var secret = $"{S}:{nameof(options.Clients)}:{i}:{nameof(client.ClientSecret)}";
            if (client.IsEmpty)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                failures.Add($"{id} is not set, but {secret} is: a client needs both.");
            }
            else if (IsPlaceholder(client.ClientId))
            {
                failures.Add($"{id} is a placeholder ('{client.ClientId}'): set the client's real id.");
            }
            else if (!firstIndexOfId.TryAdd(client.ClientId, i))
            {
                failures.Add($"{id} repeats the id of {S}:{nameof(options.Clients)}:{firstIndexOfId[client.ClientId]}:{nameof(client.ClientId)} ('{client.ClientId}'): client ids must be unique.");
            }

            if (client.ClientSecret.Length == 0)
            {
                failures.Add($"{secret} is not set: a client needs a secret (e.g. `openssl rand -base64 32`).");
            }
            else if (IsPlaceholder(client.ClientSecret))
            {
                failures.Add($"{secret} is a placeholder value: set a secret of your own (e.g. `openssl rand -base64 32`).");
            }
            else if (!ClientSecretStrength.IsStrong(client.ClientSecret))
            {
                failures.Add(
                    $"{secret} is too weak: a client secret needs at least {ClientSecretStrength.MinimumBits} bits (32 bytes) of entropy, " +
                    "counted as its length times the bits one character of its alphabet carries (hex digits 4, base64 6, other characters 6.5): " +
                    $"at least 64 hex digits, 43 base64 characters or 40 other characters, with at least {ClientSecretStrength.MinimumDistinct} different characters " +
                    $"(it has {client.ClientSecret.Length} characters, {client.ClientSecret.Distinct().Count()} different). Generate one with `openssl rand -base64 32`.");
            }
        }

        var limits = options.RateLimit;
        var r = $"{S}:{nameof(options.RateLimit)}";
        if (limits.ClientPermitLimit is < 1 or > MaxPermitLimit)
        {
            failures.Add($"{r}:{nameof(limits.ClientPermitLimit)} must be between 1 and {MaxPermitLimit} (was {limits.ClientPermitLimit}).");
        }

        if (limits.AddressPermitLimit is < 1 or > MaxPermitLimit)
        {
            failures.Add($"{r}:{nameof(limits.AddressPermitLimit)} must be between 1 and {MaxPermitLimit} (was {limits.AddressPermitLimit}).");
        }

        if (limits.Window < TimeSpan.FromSeconds(1) || limits.Window > TimeSpan.FromHours(1))
        {
            failures.Add($"{r}:{nameof(limits.Window)} must be between 00:00:01 and 01:00:00 (was {limits.Window}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A value left from a template: a marker such as CHANGE-ME, or an unexpanded <c>${VAR}</c> / <c>&lt;value&gt;</c>.</summary>
    private static bool IsPlaceholder(string value)
    {
        var trimmed = value.Trim();
        if ((trimmed.StartsWith("${", StringComparison.Ordinal) && trimmed.EndsWith('}'))
            || (trimmed.StartsWith('<') && trimmed.EndsWith('>')))
        {
            return true;
        }

        var letters = new string(trimmed.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return PlaceholderMarkers.Any(marker => letters.Contains(marker, StringComparison.Ordinal));
    }
}
