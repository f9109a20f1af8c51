using System.Diagnostics.Metrics;

namespace Revocation.Grains;

/// <summary>The silo-side instruments of the registry, under the <c>revocation</c> prefix.</summary>
public sealed class RegistryMetrics
{
    /// <summary>The meter name to export (alongside <c>Microsoft.Orleans</c>).</summary>
    public const string MeterName = "Revocation.Registry";

    private readonly Counter<long> _activations;
    private readonly Counter<long> _storeReads;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _revocations;

    public RegistryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _activations = meter.CreateCounter<long>("revocation.token_grain.activations", description: "Token grain activations.");
        _storeReads = meter.CreateCounter<long>("revocation.token_grain.store_reads", description: "Database reads by token grains (cache misses).");
        _cacheHits = meter.CreateCounter<long>("revocation.token_grain.cache_hits", description: "Checks answered from memory.");
        _revocations = meter.CreateCounter<long>("revocation.token_grain.revocations", description: "Revocations committed to the database.");
    }

    public void Activated() => _activations.Add(1);

    public void StoreRead() => _storeReads.Add(1);

    public void CacheHit() => _cacheHits.Add(1);

    public void Revoked() => _revocations.Add(1);
}
