using Microsoft.IdentityModel.JsonWebTokens;

namespace Revocation.Api.Gateway;

/// <summary>
/// What an accepted token says about its bearer, as the headers the gateway hands to the backend.
/// A header carries a claim only when the token holds it as one JSON string of printable ASCII
/// (space included, none at either end) of at most <see cref="MaxValueLength"/> characters: the
/// backend then receives exactly what the issuer signed. Anything else — a number, an object, an
/// array, a repeated member, control characters (CR/LF would split the header), non-ASCII text, an
/// oversized value — is left out rather than rewritten, so a header is either the claim or absent,
/// never an escaped, truncated or made-up stand-in that another subject could collide with.
/// Scopes are the exception that proves the rule: <c>scope</c> and <c>scp</c> may each be a
/// space-separated string or an array of strings (issuers write both); the header joins them with spaces.
/// </summary>
public static class IdentityHeaders
{
    /// <summary>
    /// The longest value carried. nginx reads a whole response header into one buffer (4 or 8 KiB
    /// by default, <c>proxy_buffer_size</c>) and fails the request when it overflows.
    /// </summary>
    public const int MaxValueLength = 1024;

    private static readonly string[] ScopeClaims = ["scope", "scp"];

    public static IReadOnlyList<IdentityHeader> Of(JsonWebToken token, ForwardAuthHeaders names)
    {
        var claims = PayloadClaims.Read(token, "sub", "jti", "scope", "scp", "client_id", "azp");
        // RFC 9068 names the client client_id; OpenID Connect's azp says the same where it is missing.
        var client = claims.ContainsKey("client_id") ? "client_id" : "azp";
        return
        [
            Single(claims, names.Subject, "sub"),
            Single(claims, names.Jti, "jti"),
            Scopes(claims, names.Scope),
            Single(claims, names.ClientId, client),
        ];
    }

    private static IdentityHeader Single(Dictionary<string, PayloadValue> claims, string name, string claim) =>
        !claims.TryGetValue(claim, out var value) ? new(name, claim, null, LeftOut: false)
        : value.String is { } text && IsCarried(text) ? new(name, claim, text, LeftOut: false)
        : new(name, claim, null, LeftOut: true);

    /// <summary>The scopes of <c>scope</c> and <c>scp</c>, in order, once each; left out whole if either holds anything but strings.</summary>
    private static IdentityHeader Scopes(Dictionary<string, PayloadValue> claims, string name)
    {
        PayloadValue[] present = [.. ScopeClaims.Where(claims.ContainsKey).Select(claim => claims[claim])];
        if (present.Length == 0)
        {
            return new(name, "scope", null, LeftOut: false);
        }

        if (present.Any(value => value == PayloadValue.Other))
        {
            return new(name, "scope", null, LeftOut: true);
        }

        var value = string.Join(' ', present.SelectMany(value => value.Strings ?? [value.String!])
            .SelectMany(scopes => scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal));
        return value.Length == 0 ? new(name, "scope", null, LeftOut: false)
            : IsCarried(value) ? new(name, "scope", value, LeftOut: false)
            : new(name, "scope", null, LeftOut: true);
    }

    private static bool IsCarried(string value) =>
        value.Length is > 0 and <= MaxValueLength
        && value[0] != ' ' && value[^1] != ' '
        && value.All(c => c is >= ' ' and <= '~');
}
