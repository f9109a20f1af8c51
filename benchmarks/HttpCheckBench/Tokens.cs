using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// HS256 tokens the API accepts in Development: the development signing key, issuer and audience
/// from the environment (BENCH_SIGNING_KEY, BENCH_ISSUER, BENCH_AUDIENCE). Token i of a run is
/// always the same jti, so scripts can mint, revoke and replay the same set. With BENCH_SESSIONS
/// set to n &gt; 0, token i also carries the session id (<c>sid</c>) bench-session-RUN-(i mod n).
/// </summary>
internal sealed class Tokens
{
    private static readonly string Header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);

    private readonly byte[] _key;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly string _run;
    private readonly long _issuedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5;
    private readonly int _sessions = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SESSIONS"), CultureInfo.InvariantCulture, out var n) ? n : 0;

    public Tokens(string run)
    {
        _key = Convert.FromBase64String(Environment.GetEnvironmentVariable("BENCH_SIGNING_KEY")
            ?? throw new InvalidOperationException("BENCH_SIGNING_KEY (base64 HMAC key) is not set."));
        _issuer = Environment.GetEnvironmentVariable("BENCH_ISSUER") ?? "revocation-registry";
        _audience = Environment.GetEnvironmentVariable("BENCH_AUDIENCE") ?? "revocation-api";
        _run = run;
    }

    /// <summary>Token <paramref name="i"/>: jti bench-RUN-i, one of 1 000 subjects, valid for 2 hours.</summary>
    public string Mint(long i)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = _issuer,
            ["aud"] = _audience,
            ["sub"] = "bench-user-" + (i % 1000).ToString(CultureInfo.InvariantCulture),
            ["jti"] = $"bench-{_run}-{i.ToString(CultureInfo.InvariantCulture)}",
            ["iat"] = _issuedAt,
            ["nbf"] = _issuedAt,
            ["exp"] = _issuedAt + 7200,
        };
        if (_sessions > 0)
        {
            claims["sid"] = $"bench-session-{_run}-{(i % _sessions).ToString(CultureInfo.InvariantCulture)}";
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(claims);
        var unsigned = Header + "." + Base64Url(payload);
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
