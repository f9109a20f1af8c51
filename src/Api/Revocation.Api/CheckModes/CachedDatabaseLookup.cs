using Revocation.Abstractions;
using Revocation.AspNetCore;
using Revocation.AspNetCore.Lookups;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Revocation.Api.CheckModes;

/// <summary>
/// <see cref="CheckMode.LocalCache"/>: <see cref="DatabaseLookup"/> behind a
/// per-process <see cref="MemoryCache"/> whose entries live <see cref="LocalCacheCheckOptions.Ttl"/>
/// and count 1 each against <see cref="LocalCacheCheckOptions.SizeLimit"/> (a full cache does not
/// take new entries and compacts in the background). Both answers are cached, as Airflow's
/// cached <c>is_revoked</c> does; so another node's revocation is seen here only after the TTL.
/// </summary>
internal sealed class CachedDatabaseLookup : IRevocationLookup, IDisposable
{
    private static readonly object RevokedBox = true;
    private static readonly object NotRevokedBox = false;

    private readonly DatabaseLookup _database;
    private readonly CheckModeMetrics _metrics;
    private readonly MemoryCache _cache;
    private readonly MemoryCacheEntryOptions _entry;

    public CachedDatabaseLookup(DatabaseLookup database, CheckModeMetrics metrics, IOptions<CheckModeOptions> modes, TimeProvider time)
    {
        var cache = modes.Value.LocalCache;
        _database = database;
        _metrics = metrics;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = cache.SizeLimit, Clock = new TimeProviderClock(time) });
        _entry = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = cache.Ttl };
        metrics.ObserveCacheEntries(() => _cache.Count);
    }

    public string Mode => "local_cache";

    /// <summary>Answers held right now.</summary>
    public int Count => _cache.Count;

    public async Task<LookupResult> LookupAsync(TokenIdentity token, bool checkSubject, CancellationToken cancellationToken)
    {
        var key = token.TokenKey;
        if (_cache.TryGetValue(key, out var cached) && cached is bool hit)
        {
            _metrics.CacheLookup(hit: true);
            return hit ? LookupResult.RevokedByJti : LookupResult.NotRevoked;
        }

        _metrics.CacheLookup(hit: false);
        var revoked = await _database.IsRevokedAsync(key, Mode, cancellationToken);
        _cache.Set(key, revoked ? RevokedBox : NotRevokedBox, _entry);
        return revoked ? LookupResult.RevokedByJti : LookupResult.NotRevoked;
    }

    public void Revoked(IssuerKey token) => _cache.Remove(token);

    public void Dispose() => _cache.Dispose();
}
