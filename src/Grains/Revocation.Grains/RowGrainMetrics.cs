using System.Diagnostics.Metrics;

namespace Revocation.Grains;

/// <summary>
/// The instruments of one kind of <see cref="RevocationRowGrain"/> (<c>revocation.token_grain.*</c>,
/// <c>revocation.session_grain.*</c>): the same questions about each kind's activations, reads and writes.
/// </summary>
public sealed class RowGrainMetrics
{
    private readonly Counter<long> _activations;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _storeReads;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _revocations;

    /// <param name="meter">The registry's meter.</param>
    /// <param name="prefix">The instruments' name prefix, e.g. <c>revocation.token_grain</c>.</param>
    /// <param name="grains">The grains named in descriptions, e.g. <c>Token grains</c>.</param>
    /// <param name="capSetting">The setting that caps them, e.g. <c>TokenGrain:MaxActivationsPerSilo</c>.</param>
    internal RowGrainMetrics(Meter meter, string prefix, string grains, string capSetting)
    {
        _activations = meter.CreateCounter<long>($"{prefix}.activations", description: $"{grains}: activations.");
        _active = meter.CreateUpDownCounter<long>($"{prefix}.active", description: $"{grains} active on this silo now (where the cluster placed them).");
        _evicted = meter.CreateCounter<long>($"{prefix}.evicted", description: $"{grains} deactivated to stay under {capSetting}.");
        _storeReads = meter.CreateCounter<long>($"{prefix}.store_reads", description: $"Successful database reads by {grains.ToLowerInvariant()} (cache misses).");
        _cacheHits = meter.CreateCounter<long>($"{prefix}.cache_hits", description: $"Checks {grains.ToLowerInvariant()} answered from memory.");
        _revocations = meter.CreateCounter<long>($"{prefix}.revocations", description: $"Revocations by {grains.ToLowerInvariant()} committed to the database.");
    }

    public void Activated() => _activations.Add(1);

    public void ActivationStarted() => _active.Add(1);

    public void ActivationEnded() => _active.Add(-1);

    public void Evicted(int count) => _evicted.Add(count);

    public void StoreRead() => _storeReads.Add(1);

    public void CacheHit() => _cacheHits.Add(1);

    public void Revoked() => _revocations.Add(1);
}
