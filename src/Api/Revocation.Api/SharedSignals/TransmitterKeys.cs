using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Revocation.Api.Authentication;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// The keys one transmitter signs its SETs with: configured PEM keys, or a JWKS fetched from its
/// <c>JwksUri</c> or through its <c>/.well-known/ssf-configuration</c> — kept for
/// <see cref="MaxAge"/>, and fetched again at once (waited for) when a SET names a key not among
/// them, at most once every <see cref="MinRefreshInterval"/>: a transmitter that rotated its key is
/// believed on its first SET, and forged key ids cost at most one fetch a minute.
/// </summary>
internal sealed class TransmitterKeys : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<SecurityKey> _static;
    private readonly string? _address;
    private readonly IConfigurationRetriever<JsonWebKeySet>? _retriever;
    private readonly IDocumentRetriever? _documents;
    private readonly HttpClient? _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private (IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt)? _published;
    private DateTimeOffset _lastUnknownKeyFetch = DateTimeOffset.MinValue;

    public TransmitterKeys(TransmitterOptions transmitter, bool requireHttps, TimeProvider time)
    {
        _time = time;
        _static = [.. transmitter.PublicKeys.Select(pem => JwtKeys.TryReadPublicKey(pem)!)];
        if (_static.Count > 0)
        {
            return;
        }

        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = 1024 * 1024 };
        _documents = new HttpDocumentRetriever(_http) { RequireHttps = requireHttps };
        (_address, _retriever) = string.IsNullOrWhiteSpace(transmitter.JwksUri)
            ? (transmitter.ConfigurationUrl!, (IConfigurationRetriever<JsonWebKeySet>)new SsfConfigurationKeys(transmitter.Issuer!))
            : (transmitter.JwksUri, new JwksDocument());
    }

    /// <summary>Whether keys can change (published): then an unknown key is worth a fetch.</summary>
    public bool CanRefresh => _retriever is not null;

    /// <summary>The keys; published ones fetched when older than <see cref="MaxAge"/>, or for an <paramref name="unknownKey"/> unless one was fetched for within <see cref="MinRefreshInterval"/>.</summary>
    /// <exception cref="Exception">The keys could not be fetched and none are held.</exception>
    public async Task<IReadOnlyList<SecurityKey>> GetAsync(bool unknownKey, CancellationToken cancellationToken)
    {
        if (_retriever is null)
        {
            return _static;
        }

        if (Fresh(unknownKey) is { } held)
        {
            return held;
        }

        await _fetch.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched while this one waited.
            if (Fresh(unknownKey) is { } fetched)
            {
                return fetched;
            }

            if (unknownKey)
            {
                _lastUnknownKeyFetch = _time.GetUtcNow();
            }

            try
            {
                var set = await _retriever.GetConfigurationAsync(_address!, _documents!, cancellationToken);
                _published = ([.. set.GetSigningKeys()], _time.GetUtcNow());
            }
            catch (Exception) when (_published is { } stale && !cancellationToken.IsCancellationRequested)
            {
                // Keep the keys held (and try again no sooner than the minimum interval).
                _published = (stale.Keys, _time.GetUtcNow() - MaxAge + MinRefreshInterval);
            }

            return _published!.Value.Keys;
        }
        finally
        {
            _fetch.Release();
        }
    }

    public void Dispose()
    {
        _fetch.Dispose();
        _http?.Dispose();
    }

    private IReadOnlyList<SecurityKey>? Fresh(bool unknownKey)
    {
        if (_published is not { } published)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var fresh = now - published.FetchedAt < MaxAge;
        var throttled = now - _lastUnknownKeyFetch < MinRefreshInterval;
        return fresh && (!unknownKey || throttled) ? published.Keys : null;
    }

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
