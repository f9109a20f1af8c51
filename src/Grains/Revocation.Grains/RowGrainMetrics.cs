using System.Diagnostics.Metrics;

namespace Revocation.Grains;

/// <summary>
/// The instruments of one kind of <see cref="RevocationRowGrain"/> (<c>revocation.token_grain.*</c>,
/// <c>revocation.session_grain.*</c>): the same questions about each kind's activations, reads and
/// writes. The names are written out in full: they are the contract that dashboards, alerts and
/// the tests reading them (<c>ExportedMetrics</c>) rely on.
/// </summary>
public sealed class RowGrainMetrics
{
    private readonly Counter<long> _activations;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _storeReads;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _revocations;

    private RowGrainMetrics(
        Counter<long> activations, UpDownCounter<long> active, Counter<long> evicted, Counter<long> storeReads, Counter<long> cacheHits, Counter<long> revocations)
    {
        _activations = activations;
        _active = active;
        _evicted = evicted;
        _storeReads = storeReads;
        _cacheHits = cacheHits;
        _revocations = revocations;
    }

    internal static RowGrainMetrics Tokens(Meter meter)
    {
        var activations = meter.CreateCounter<long>("revocation.token_grain.activations", description: "Token grain activations.");
        var active = meter.CreateUpDownCounter<long>("revocation.token_grain.active", description: "Token grains active on this silo now (where the cluster placed them).");
        var evicted = meter.CreateCounter<long>("revocation.token_grain.evicted", description: "Token grains deactivated to stay under TokenGrain:MaxActivationsPerSilo.");
        var storeReads = meter.CreateCounter<long>("revocation.token_grain.store_reads", description: "Successful database reads by token grains (cache misses).");
        var cacheHits = meter.CreateCounter<long>("revocation.token_grain.cache_hits", description: "Checks answered from memory.");
        var revocations = meter.CreateCounter<long>("revocation.token_grain.revocations", description: "Revocations committed to the database.");
        return new(activations, active, evicted, storeReads, cacheHits, revocations);
    }

    internal static RowGrainMetrics Sessions(Meter meter)
    {
        var activations = meter.CreateCounter<long>("revocation.session_grain.activations", description: "Session grain activations.");
        var active = meter.CreateUpDownCounter<long>("revocation.session_grain.active", description: "Session grains active on this silo now (where the cluster placed them).");
        var evicted = meter.CreateCounter<long>("revocation.session_grain.evicted", description: "Session grains deactivated to stay under SessionRevocation:MaxActivationsPerSilo.");
        var storeReads = meter.CreateCounter<long>("revocation.session_grain.store_reads", description: "Successful database reads by session grains (cache misses).");
        var cacheHits = meter.CreateCounter<long>("revocation.session_grain.cache_hits", description: "Session checks answered from memory.");
        var revocations = meter.CreateCounter<long>("revocation.session_grain.revocations", description: "Session revocations committed to the database.");
        return new(activations, active, evicted, storeReads, cacheHits, revocations);
    }

    public void Activated() => _activations.Add(1);

    public void ActivationStarted() => _active.Add(1);

    public void ActivationEnded() => _active.Add(-1);

    public void Evicted(int count) => _evicted.Add(count);

    public void StoreRead() => _storeReads.Add(1);

    public void CacheHit() => _cacheHits.Add(1);

    public void Revoked() => _revocations.Add(1);
}
