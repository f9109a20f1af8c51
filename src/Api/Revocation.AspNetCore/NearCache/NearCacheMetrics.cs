using System.Diagnostics.Metrics;
using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>Instruments of the near cache and its lease, on the API node's meter.</summary>
internal sealed class NearCacheMetrics
{
    private static readonly KeyValuePair<string, object?> Hit = new("result", "hit");
    private static readonly KeyValuePair<string, object?> Miss = new("result", "miss");

    private readonly Meter _meter;
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _invalidations;
    private readonly Counter<long> _renewals;
    private readonly Counter<long> _clockJumps;
    private int _observed;

    public NearCacheMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(RevocationMetrics.MeterName);
        _lookups = _meter.CreateCounter<long>("revocation.near_cache.lookups", description: "Checks answered from this node's near cache (hit) or asked of the grains (miss).");
        _invalidations = _meter.CreateCounter<long>("revocation.near_cache.invalidations", description: "Revocations the registry told this node of, by kind (token, subject, session).");
        _renewals = _meter.CreateCounter<long>("revocation.near_cache.lease_renewals", description: "Lease renewals by result: extended, continued (a new lease grain activation; cached answers kept), new_lease (cached answers dropped), failed.");
        _clockJumps = _meter.CreateCounter<long>("revocation.near_cache.clock_jumps", description: "Renewal ticks at which the wall clock had run ahead of the monotonic clock by more than NearCache:DriftMargin since the last one (a suspend, a VM pause or restore, a clock step).");
    }

    internal void Lookup(bool hit) => _lookups.Add(1, hit ? Hit : Miss);

    internal void Invalidations(RevocationNotice[] notices)
    {
        foreach (var notice in notices)
        {
            _invalidations.Add(1, new KeyValuePair<string, object?>("kind", notice.Kind switch
            {
                RevocationNoticeKind.Token => "token",
                RevocationNoticeKind.Session => "session",
                _ => "subject",
            }));
        }
    }

    internal void LeaseRenewal(string result) => _renewals.Add(1, new KeyValuePair<string, object?>("result", result));

    internal void ClocksDisagreed() => _clockJumps.Add(1);

    internal void LeaseRenewal(LeaseChange change) => LeaseRenewal(change switch
    {
        LeaseChange.New => "new_lease",
        LeaseChange.Continued => "continued",
        _ => "extended",
    });

    /// <summary>Publishes the cache's entries and lease state as gauges (once per process).</summary>
    internal void Observe(NearCacheState cache, TimeProvider time)
    {
        if (Interlocked.Exchange(ref _observed, 1) == 1)
        {
            return;
        }

        _meter.CreateObservableGauge(
            "revocation.near_cache.entries",
            () => new[]
            {
                new Measurement<int>(cache.TokenCount, new KeyValuePair<string, object?>("kind", "token")),
                new Measurement<int>(cache.SubjectCount, new KeyValuePair<string, object?>("kind", "subject")),
                new Measurement<int>(cache.SessionCount, new KeyValuePair<string, object?>("kind", "session")),
            },
            description: "Answers held in this node's near cache, by kind.");
        _meter.CreateObservableGauge(
            "revocation.near_cache.lease_valid",
            () => cache.HoldsLease(time.GetTimestamp()) ? 1 : 0,
            description: "1 while this node holds a lease (serves cached \"not revoked\" answers), 0 otherwise.");
    }
}
