using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Api.Authentication;

/// <summary>Keys and the algorithms each may verify: an HMAC secret never verifies an RS256 token and vice versa.</summary>
internal static class JwtKeys
{
    public static readonly string[] HmacAlgorithms =
        [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512];

    public static readonly string[] RsaAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
         SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512];

    public static readonly string[] EcAlgorithms =
        [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512];

    public static SymmetricSecurityKey? SymmetricKey(string? signingKey) =>
        string.IsNullOrWhiteSpace(signingKey) ? null : new SymmetricSecurityKey(Convert.FromBase64String(signingKey));

    public static SecurityKey? TryReadPublicKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }

    /// <summary>The algorithms the configured keys can verify; <c>none</c> is never among them.</summary>
    public static string[] AllowedAlgorithms(string? authority, IEnumerable<SecurityKey> keys)
    {
        var algorithms = new HashSet<string>();
        foreach (var key in keys)
        {
            algorithms.UnionWith(key switch
            {
                SymmetricSecurityKey => HmacAlgorithms,
                RsaSecurityKey => RsaAlgorithms,
                ECDsaSecurityKey => EcAlgorithms,
                _ => [],
            });
        }

        if (!string.IsNullOrWhiteSpace(authority))
        {
            // Keys from a JWKS arrive later; allow the asymmetric families an OIDC provider signs with.
            algorithms.UnionWith(RsaAlgorithms);
            algorithms.UnionWith(EcAlgorithms);
        }

        return [.. algorithms];
    }
}
