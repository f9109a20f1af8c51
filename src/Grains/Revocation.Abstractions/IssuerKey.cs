using System.Globalization;

namespace Revocation.Abstractions;

/// <summary>
/// A value that is unique only per issuer — a <c>jti</c>, a <c>sub</c>, a <c>sid</c> — together with that issuer
/// (<c>iss</c>): the key of token, subject and session grains, of <c>revoked_tokens</c> and <c>revoked_sessions</c> rows and of near-cache
/// entries. Two issuers may mint the same jti or sub for different tokens and people.
/// </summary>
/// <remarks>
/// As an Orleans string key (<see cref="ToGrainKey"/>) it is length-prefixed:
/// <c>&lt;n&gt;:&lt;issuer&gt;&lt;value&gt;</c>, where <c>n</c> is the issuer's length in UTF-16 code
/// units, in decimal ASCII digits without leading zeros. The issuer ends where the prefix says, so no
/// character of either part needs escaping and no value — separators, empty, non-ASCII, any length —
/// can make two pairs share a key: <see cref="TryParse"/> accepts exactly the strings
/// <see cref="ToGrainKey"/> writes. Example: (<c>https://idp.example</c>, <c>alice</c>) is
/// <c>19:https://idp.examplealice</c>.
/// </remarks>
/// <param name="Issuer">The issuer (<c>iss</c>) as the token carries it, compared ordinally.</param>
/// <param name="Value">The value scoped by it.</param>
public readonly record struct IssuerKey(string Issuer, string Value)
{
    /// <summary>The most digits a length prefix may have (a longer key is no key of this registry).</summary>
    private const int MaxPrefixDigits = 9;

    /// <summary>The Orleans string key of this pair (see the remarks on <see cref="IssuerKey"/>).</summary>
    public string ToGrainKey()
    {
        var issuer = Issuer ?? "";
        return string.Concat(issuer.Length.ToString(CultureInfo.InvariantCulture), ":", issuer, Value ?? "");
    }

    /// <summary>Reads a key written by <see cref="ToGrainKey"/>; false for any other string.</summary>
    public static bool TryParse(string? key, out IssuerKey parsed)
    {
        parsed = default;
        if (key is null)
        {
            return false;
        }

        var colon = key.IndexOf(':');
        if (colon < 1 || colon > MaxPrefixDigits || (key[0] == '0' && colon > 1))
        {
            return false;
        }

        var length = 0;
        for (var i = 0; i < colon; i++)
        {
            if (key[i] is < '0' or > '9')
            {
                return false;
            }

            length = (length * 10) + (key[i] - '0');
        }

        if (length > key.Length - colon - 1)
        {
            return false;
        }

        parsed = new IssuerKey(key.Substring(colon + 1, length), key[(colon + 1 + length)..]);
        return true;
    }

    /// <summary>Reads a key written by <see cref="ToGrainKey"/>.</summary>
    /// <exception cref="FormatException">The string is not such a key.</exception>
    public static IssuerKey Parse(string key) =>
        TryParse(key, out var parsed) ? parsed : throw new FormatException("Not an issuer-scoped key (<length>:<issuer><value>).");

    /// <summary>For logs: the issuer and the value, named.</summary>
    public override string ToString() => $"iss '{Issuer}', '{Value}'";
}
