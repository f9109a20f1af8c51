using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Testing;

/// <summary>The tests' own keys and a JWT library to mint tokens the API must accept or refuse.</summary>
public sealed class TestTokens : IDisposable
{
    public const string Issuer = "test-issuer";
    public const string Audience = "test-api";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentQueue<string> _minted = new();

    /// <summary>Every token minted so far: what the log scans of promise 7 look for (<see cref="TokenLeaks"/>).</summary>
    public IReadOnlyCollection<string> Minted => _minted;

    public byte[] HmacKey { get; } = RandomNumberGenerator.GetBytes(32);

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string HmacKeyBase64 => Convert.ToBase64String(HmacKey);

    public string RsaPublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    public string EcPublicPem => Ec.ExportSubjectPublicKeyInfoPem();

    public SigningCredentials Hs256 => new(new SymmetricSecurityKey(HmacKey), SecurityAlgorithms.HmacSha256);

    public SigningCredentials Rs256 => new(new RsaSecurityKey(Rsa), SecurityAlgorithms.RsaSha256);

    public SigningCredentials Es256 => new(new ECDsaSecurityKey(Ec), SecurityAlgorithms.EcdsaSha256);

    /// <summary>A token with the usual claims, each of which can be overridden or removed (value <c>null</c>).</summary>
    public string Mint(
        SigningCredentials? credentials = null,
        IDictionary<string, object?>? overrides = null,
        string? jti = null,
        string sub = "alice",
        string? scope = null,
        string? type = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = sub,
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(15).ToUnixTimeSeconds(),
            ["scope"] = scope,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, object?>())
        {
            claims[key] = value;
        }

        var payload = claims.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!);
        var descriptor = new SecurityTokenDescriptor { Claims = payload, SigningCredentials = credentials ?? Hs256, TokenType = type };
        return Keep(_handler.CreateToken(descriptor));
    }

    /// <summary>
    /// A token signed with <see cref="Hs256"/> whose payload is exactly <paramref name="payloadJson"/>:
    /// shapes a JWT library will not write (duplicate members, deep nesting).
    /// </summary>
    public string MintRaw(string payloadJson)
    {
        var signed = $"{Base64UrlEncoder.Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{Base64UrlEncoder.Encode(payloadJson)}";
        return Keep($"{signed}.{Base64UrlEncoder.Encode(HMACSHA256.HashData(HmacKey, System.Text.Encoding.ASCII.GetBytes(signed)))}");
    }

    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public string MintUnsigned(string? jti = null)
    {
        var now = DateTimeOffset.UtcNow;
        return Keep(_handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = "mallory", ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
                ["iat"] = now.ToUnixTimeSeconds(), ["nbf"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(15).ToUnixTimeSeconds(),
            },
        }));
    }

    private string Keep(string token)
    {
        _minted.Enqueue(token);
        return token;
    }

    public static string JtiOf(string token) => new JsonWebToken(token).Id;

    public void Dispose()
    {
        Rsa.Dispose();
        Ec.Dispose();
    }
}
