using System.Runtime.CompilerServices;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Api.Authentication;

/// <summary>
/// The OIDC metadata of every trusted issuer with an <c>Authority</c>, as one configuration for
/// JwtBearer (which takes one): the keys of all, each remembered as its issuer's, so that a key of
/// one issuer never verifies a token naming another (<see cref="IssuerTrust"/>). An authority that
/// cannot be reached costs its own issuer's tokens only.
/// </summary>
internal sealed class IssuerMetadata(IReadOnlyList<(string Issuer, IConfigurationManager<OpenIdConnectConfiguration> Metadata)> authorities)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly ConditionalWeakTable<SecurityKey, string> _owners = new();
    private readonly object _gate = new();
    private (OpenIdConnectConfiguration?[] Parts, OpenIdConnectConfiguration Merged)? _last;

    /// <summary>The issuer whose metadata published <paramref name="key"/>; <c>null</c> for another key.</summary>
    public string? OwnerOf(SecurityKey key) => _owners.TryGetValue(key, out var issuer) ? issuer : null;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var parts = await Task.WhenAll(authorities.Select(a => TryGetAsync(a.Metadata, cancel)));
        lock (_gate)
        {
            // Each manager hands out the same object until it refreshes: merge only when one did.
            if (_last is { } last && last.Parts.SequenceEqual(parts, ReferenceEqualityComparer.Instance))
            {
                return last.Merged;
            }

            var merged = new OpenIdConnectConfiguration { Issuer = authorities[0].Issuer };
            for (var i = 0; i < parts.Length; i++)
            {
                foreach (var key in parts[i]?.SigningKeys ?? [])
                {
                    _owners.AddOrUpdate(key, authorities[i].Issuer);
                    merged.SigningKeys.Add(key);
                }
            }

            if (parts.All(p => p is null))
            {
                // Nothing to merge: fail like a single authority does, rather than cache an empty set.
                throw new InvalidOperationException("No trusted issuer's OIDC metadata could be read (Jwt:Authority, Jwt:Issuers:N:Authority).");
            }

            _last = (parts, merged);
            return merged;
        }
    }

    public void RequestRefresh()
    {
        foreach (var (_, metadata) in authorities)
        {
            metadata.RequestRefresh();
        }
    }

    private static async Task<OpenIdConnectConfiguration?> TryGetAsync(IConfigurationManager<OpenIdConnectConfiguration> metadata, CancellationToken cancel)
    {
        try
        {
            return await metadata.GetConfigurationAsync(cancel);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}
