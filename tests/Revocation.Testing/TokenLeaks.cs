using System.Text.RegularExpressions;

namespace Revocation.Testing;

/// <summary>
/// Pieces of JWTs in log text (promise 7: no raw token is ever written to a log). A piece is any
/// <see cref="FragmentLength"/> characters in a row of a known token's header, payload or
/// signature — a token logged whole, cut short or split into its parts — or any base64url-encoded
/// JSON object (<c>eyJ…</c>, how every JWT's header and payload begin), which also shows tokens
/// the tests never saw, such as those a node issued itself.
/// </summary>
public static partial class TokenLeaks
{
    /// <summary>16 base64url characters: 96 bits, which no log line shares with a token by chance.</summary>
    public const int FragmentLength = 16;

    private static readonly string[] Parts = ["header", "payload", "signature"];

    /// <summary>One finding per token part and log line, naming the part, the token's jti and the line; empty when none.</summary>
    /// <param name="tokens">The tokens to look for.</param>
    /// <param name="lines">Log lines, each with where it was written (a log file, a logger).</param>
    public static IReadOnlyList<string> Find(IEnumerable<string> tokens, IEnumerable<(string Source, string Line)> lines)
    {
        // Every piece of every base64url run in the logs, so that each token part is looked up piece by piece.
        var pieces = new Dictionary<string, List<(string Source, string Line)>>(StringComparer.Ordinal);
        var findings = new List<string>();
        foreach (var (source, line) in lines)
        {
            foreach (Match run in Base64UrlRun().Matches(line))
            {
                for (var i = 0; i + FragmentLength <= run.Length; i++)
                {
                    var piece = run.Value.Substring(i, FragmentLength);
                    if (!pieces.TryGetValue(piece, out var places))
                    {
                        pieces[piece] = places = [];
                    }

                    if (places.Count == 0 || places[^1] != (source, line))
                    {
                        places.Add((source, line));
                    }
                }
            }

            if (EncodedJsonObject().Match(line) is { Success: true } json)
            {
                findings.Add($"{source}: a base64url JSON object ({json.Value[..FragmentLength]}…), as a JWT header or payload: {Excerpt(line)}");
            }
        }

        // Looked up by span: a load test's tokens make millions of pieces, none worth a string of its own.
        var lookup = pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var token in tokens.Distinct(StringComparer.Ordinal))
        {
            var segments = token.Split('.');
            for (var part = 0; part < segments.Length && part < Parts.Length; part++)
            {
                var places = new HashSet<(string Source, string Line)>();
                for (var i = 0; i + FragmentLength <= segments[part].Length; i++)
                {
                    if (lookup.TryGetValue(segments[part].AsSpan(i, FragmentLength), out var found))
                    {
                        places.UnionWith(found);
                    }
                }

                findings.AddRange(places.Select(p => $"{p.Source}: the {Parts[part]} of token {JtiOf(token)}: {Excerpt(p.Line)}"));
            }
        }

        return findings;
    }

    /// <summary>Fails, listing the findings, if any log line holds a piece of a token.</summary>
    public static void AssertNone(IEnumerable<string> tokens, IEnumerable<(string Source, string Line)> lines) =>
        AssertNone(Find(tokens, lines));

    /// <summary>Fails, listing the first 20 of <paramref name="findings"/> and then <paramref name="where"/>, unless there are none.</summary>
    public static void AssertNone(IReadOnlyList<string> findings, string where = "") =>
        Assert.True(findings.Count == 0,
            $"{findings.Count} token pieces in the logs (promise 7):{Environment.NewLine}{string.Join(Environment.NewLine, findings.Take(20))}{Environment.NewLine}{where}");

    private static string JtiOf(string token)
    {
        try
        {
            var jti = TestTokens.JtiOf(token);
            return jti.Length > 0 ? jti : "(no jti)";
        }
        catch (ArgumentException)
        {
            return "(not a readable JWT)";
        }
    }

    private static string Excerpt(string line) => line.Length <= 300 ? line : line[..300] + "…";

    /// <summary>At least <see cref="FragmentLength"/> base64url characters in a row.</summary>
    [GeneratedRegex("[A-Za-z0-9_-]{16,}")]
    private static partial Regex Base64UrlRun();

    /// <summary><c>{"</c> and at least ten more characters, base64url-encoded.</summary>
    [GeneratedRegex("eyJ[A-Za-z0-9_-]{13,}")]
    private static partial Regex EncodedJsonObject();
}
