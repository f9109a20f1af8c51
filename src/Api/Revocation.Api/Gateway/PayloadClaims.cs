using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Api.Gateway;

/// <summary>
/// Top-level claims of a token's payload as the issuer wrote them, read from the signed JSON rather
/// than from the principal: there a number <c>sub</c> already reads as the string "4444", and an
/// array as several claims.
/// </summary>
internal static class PayloadClaims
{
    // Deeper than any reader default: a deeply nested claim elsewhere must not make the token unreadable here.
    private const int MaxDepth = 4096;

    /// <summary>
    /// Each of <paramref name="names"/> that is present, with its value's shape: a JSON string, an
    /// array of strings, or anything else (which a member repeated in the payload counts as too).
    /// </summary>
    public static Dictionary<string, PayloadValue> Read(JsonWebToken token, params ReadOnlySpan<string> names)
    {
        var found = new Dictionary<string, PayloadValue>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(token.EncodedPayload), new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return found;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!names.Contains(name))
                {
                    reader.Skip();
                    continue;
                }

                found[name] = found.ContainsKey(name) ? Skip(ref reader) : Value(ref reader);
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            // The handler validated this payload already; a reader that disagrees forwards nothing.
            return new Dictionary<string, PayloadValue>(StringComparer.Ordinal);
        }

        return found;
    }

    private static PayloadValue Value(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new(reader.GetString(), null);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Skip(ref reader);
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    reader.Skip();
                }

                return PayloadValue.Other;
            }

            values.Add(reader.GetString()!);
        }

        return new(null, [.. values]);
    }

    private static PayloadValue Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return PayloadValue.Other;
    }
}
