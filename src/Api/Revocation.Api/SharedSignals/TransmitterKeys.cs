using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Revocation.Api.Authentication;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// The keys one transmitter signs its SETs with: configured PEM keys, or a JWKS fetched (and cached,
/// refreshed at most every 5 minutes on an unknown key) from its <c>JwksUri</c> or through its
/// <c>/.well-known/ssf-configuration</c>.
/// </summary>
internal sealed class TransmitterKeys
{
    private readonly IReadOnlyList<SecurityKey> _static;
    private readonly ConfigurationManager<JsonWebKeySet>? _published;

    public TransmitterKeys(TransmitterOptions transmitter, bool requireHttps)
    {
        _static = [.. transmitter.PublicKeys.Select(pem => JwtKeys.TryReadPublicKey(pem)!)];
        if (_static.Count > 0)
        {
            return;
        }

        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = 1024 * 1024 };
        var documents = new HttpDocumentRetriever(http) { RequireHttps = requireHttps };
        _published = string.IsNullOrWhiteSpace(transmitter.JwksUri)
            ? new ConfigurationManager<JsonWebKeySet>(transmitter.ConfigurationUrl!, new SsfConfigurationKeys(transmitter.Issuer!), documents)
            : new ConfigurationManager<JsonWebKeySet>(transmitter.JwksUri, new JwksDocument(), documents);
    }

    public async Task<IReadOnlyList<SecurityKey>> GetAsync(CancellationToken cancellationToken) =>
        _published is null ? _static : [.. (await _published.GetConfigurationAsync(cancellationToken)).GetSigningKeys()];

    /// <summary>Whether keys can change (published): then an unknown key is worth one refresh.</summary>
    public bool CanRefresh => _published is not null;

    public void RequestRefresh() => _published?.RequestRefresh();

    private sealed class JwksDocument : IConfigurationRetriever<JsonWebKeySet>
    {
        public async Task<JsonWebKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel) =>
            new(await retriever.GetDocumentAsync(address, cancel));
    }

    /// <summary>SSF §7.1: the metadata's <c>issuer</c> must be the transmitter's; its <c>jwks_uri</c> holds the keys.</summary>
    private sealed class SsfConfigurationKeys(string issuer) : IConfigurationRetriever<JsonWebKeySet>
    {
        public async Task<JsonWebKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            using var metadata = JsonDocument.Parse(await retriever.GetDocumentAsync(address, cancel));
            var root = metadata.RootElement;
            var published = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (!string.Equals(published, issuer, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The transmitter configuration at {address} names issuer '{published}', not the configured '{issuer}'.");
            }

            if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"The transmitter configuration at {address} has no jwks_uri: its SETs cannot be verified.");
            }

            return new JsonWebKeySet(await retriever.GetDocumentAsync(jwks.GetString()!, cancel));
        }
    }
}
