namespace Revocation.Api.OAuth;

/// <summary>
/// How much entropy a client secret can hold, judged from the text alone: its length times the bits
/// one character of the smallest alphabet it is written in carries — 4 for hex digits, 6 for base64
/// (and base64url), 6.5 for anything else (printable ASCII holds log2 95 ≈ 6.57). A secret needs
/// <see cref="MinimumBits"/>: at least 64 hex digits, 43 base64 characters (<c>openssl rand -base64 32</c>
/// prints 44) or 40 other characters, and at least <see cref="MinimumDistinct"/> different characters
/// (a repetition carries next to nothing however long it is). This is an upper bound — a long
/// phrase passes with less — but it refuses every secret too short to hold 32 random bytes.
/// </summary>
public static class ClientSecretStrength
{
    public const int MinimumBits = 256;

    public const int MinimumDistinct = 8;

    /// <summary>The most bits <paramref name="secret"/> can hold, by the rule above.</summary>
    public static double Bits(string secret)
    {
        var bitsPerCharacter = secret.All(char.IsAsciiHexDigit) ? 4.0 : secret.All(IsBase64) ? 6.0 : 6.5;
        return secret.Length * bitsPerCharacter;
    }

    /// <summary>Whether <paramref name="secret"/> holds <see cref="MinimumBits"/> and <see cref="MinimumDistinct"/> different characters.</summary>
    public static bool IsStrong(string secret) =>
        Bits(secret) >= MinimumBits && secret.Distinct().Count() >= MinimumDistinct;

    private static bool IsBase64(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_';
}
