using System.Collections.Concurrent;
using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// One string per issuer in the near cache's keys. A token's <c>iss</c> is a string of its own,
/// parsed from that token (and a notice's from its message), so every cached answer kept a copy of
/// the same few names: 40–100 bytes of each entry's ≈ 260. The first <see cref="MostIssuers"/>
/// issuers seen are shared; past them a key keeps its own string (correct, only larger), a bound
/// for an application whose token validation accepts any issuer.
/// </summary>
internal sealed class IssuerNames
{
    /// <summary>Distinct issuers shared; JwtBearer lets through only the issuers it is configured with.</summary>
    public const int MostIssuers = 256;

    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary><paramref name="key"/> with its issuer's shared string (the same string for equal names).</summary>
    public IssuerKey Share(IssuerKey key)
    {
        if (!_names.TryGetValue(key.Issuer, out var shared))
        {
            if (_names.Count >= MostIssuers)
            {
                return key;
            }

            shared = _names.GetOrAdd(key.Issuer, key.Issuer);
        }

        return ReferenceEquals(shared, key.Issuer) ? key : key with { Issuer = shared };
    }
}
