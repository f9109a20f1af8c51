using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Api.OAuth;

/// <summary>
/// The client a token was issued to: its <c>client_id</c> (RFC 9068), else its <c>azp</c> (OpenID),
/// read from the signed payload as written. RFC 7009 §2.1 lets a client revoke only its own tokens,
/// RFC 7662 §4 introspect only those.
/// </summary>
internal static class TokenClient
{
    // Deeper than any reader default: a deeply nested claim elsewhere must not make the token unreadable here.
    private const int MaxDepth = 4096;

    /// <summary>
    /// Whether <paramref name="clientId"/> may revoke or introspect <paramref name="token"/>: the
    /// token names no client, or names this one. A client claim that is not one string (an array,
    /// a number, an object, null, duplicates that disagree) names no client that can be matched, so
    /// no client may; the JWT library would read some of those as strings ("42", a JSON array's text)
    /// or as absent (null), which let any client through.
    /// </summary>
    public static bool Allows(JsonWebToken token, string clientId) =>
        TryReadOwner(token, out var owner) && (owner is null || string.Equals(owner, clientId, StringComparison.Ordinal));

    /// <returns><c>false</c> when a client claim is present in a form that names no client.</returns>
    private static bool TryReadOwner(JsonWebToken token, out string? owner)
    {
        owner = null;
        string? clientIdClaim = null;
        string? azpClaim = null;
        try
        {
            var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(token.EncodedPayload), new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isClientId = reader.ValueTextEquals("client_id");
                var isAzp = !isClientId && reader.ValueTextEquals("azp");
                reader.Read();
                if (!isClientId && !isAzp)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                var agrees = isClientId ? Agrees(ref clientIdClaim, reader.GetString()!) : Agrees(ref azpClaim, reader.GetString()!);
                if (!agrees)
                {
                    return false;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return false;
        }

        owner = clientIdClaim ?? azpClaim;
        return true;
    }

    /// <summary>Records a claim's value; a repeated claim must repeat the same value.</summary>
    private static bool Agrees(ref string? held, string value)
    {
        if (held is not null && !string.Equals(held, value, StringComparison.Ordinal))
        {
            return false;
        }

        held = value;
        return true;
    }
}
