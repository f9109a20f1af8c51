using System.Diagnostics.Metrics;
using Revocation.AspNetCore;

namespace Revocation.Api.CheckModes;

/// <summary>The comparison modes' own instruments, on the check's meter (<see cref="RevocationCheckExtensions.MeterName"/>).</summary>
internal sealed class CheckModeMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _databaseQueries;
    private readonly Counter<long> _cacheLookups;

    public CheckModeMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(RevocationCheckExtensions.MeterName);
        _databaseQueries = _meter.CreateCounter<long>("revocation.check.db_queries", description: "Queries against revoked_tokens made by the check itself (Database and LocalCache modes), by mode.");
        _cacheLookups = _meter.CreateCounter<long>("revocation.check.cache_lookups", description: "LocalCache mode: answers found in this node's cache (hit) or fetched from the database (miss).");
    }

    public void DatabaseQuery(string mode) => _databaseQueries.Add(1, new KeyValuePair<string, object?>("mode", mode));

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    /// <summary>Publishes the LocalCache mode's entry count as a gauge.</summary>
    public void ObserveCacheEntries(Func<int> count) =>
        _meter.CreateObservableGauge("revocation.check.cache_entries", count, description: "LocalCache mode: answers held in this node's cache.");
}
