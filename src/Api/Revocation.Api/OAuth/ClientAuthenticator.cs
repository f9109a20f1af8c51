using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Revocation.Api.OAuth;

/// <summary>
/// HTTP Basic client authentication (RFC 6749 §2.3.1) against the clients configured at start: they
/// are validated then, and a reload cannot swap in clients that were never validated.
/// </summary>
public sealed class ClientAuthenticator(IOptions<OAuthClientOptions> options)
{
    // The rate limiter authenticates a request to choose its partition, the endpoint again to answer it.
    private static readonly object AuthenticatedClientKey = new();

    /// <summary>The authenticated client id, or <c>null</c>; worked out once per request.</summary>
    public string? Authenticate(HttpContext context)
    {
        if (context.Items.TryGetValue(AuthenticatedClientKey, out var known))
        {
            return (string?)known;
        }

        var clientId = Authenticate(context.Request);
        context.Items[AuthenticatedClientKey] = clientId;
        return clientId;
    }

    private string? Authenticate(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        // RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined.
        var clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
        var secret = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
        foreach (var client in options.Value.Clients)
        {
            if (client.ClientId == clientId
                && client.ClientSecret.Length > 0
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(client.ClientSecret), secret))
            {
                return clientId;
            }
        }

        return null;
    }
}
