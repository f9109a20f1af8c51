using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Revocation.Grains.Leases;

/// <summary>Instruments of the near-cache leases, on the silo that hosts the lease grain.</summary>
public sealed class NodeLeaseMetrics
{
    private readonly Counter<long> _renewals;
    private readonly Histogram<double> _notifyDuration;
    private readonly Counter<long> _lapsed;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _notices;
    private readonly Counter<long> _refused;
    private readonly ConcurrentDictionary<int, int> _leasedNodes = new();

    public NodeLeaseMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RegistryMetrics.MeterName);
        _renewals = meter.CreateCounter<long>("revocation.node_leases.renewals", description: "Lease renewals by API nodes, by result: extended (a full lease), held (extended only to one lease past the oldest notice the node has not acknowledged), granted (a new lease), stale (older than a renewal already taken; ignored).");
        _notifyDuration = meter.CreateHistogram<double>(
            "revocation.notify.duration",
            unit: "s",
            description: "Time from a durable revocation until every API node with a lease acknowledged it or its lease ran out.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _lapsed = meter.CreateCounter<long>("revocation.notify.lapsed", description: "Deliveries of a revocation given up because the API node's lease ran out first.");
        _batches = meter.CreateCounter<long>("revocation.notify.batches", description: "Messages sent to API nodes (each carries one or more revocations).");
        _notices = meter.CreateCounter<long>("revocation.notify.notices", description: "Revocations carried by those messages.");
        _refused = meter.CreateCounter<long>("revocation.node_leases.refused", description: "Renewals refused, by reason: other_holder (the node's lease is held through another client), foreign_listener (a listener of another client).");

        // Exported from 0 so that the first lapse shows as an increase (alerts.yml).
        _lapsed.Add(0);
        meter.CreateObservableGauge(
            "revocation.node_leases.nodes",
            () => _leasedNodes.IsEmpty
                ? [new Measurement<int>(0)]
                : _leasedNodes.Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("partition", p.Key))),
            description: "API nodes the lease partitions on this silo know, by partition (0 on silos without one).");
    }

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Renewed(string result) => _renewals.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary><paramref name="revocations"/> told together took <paramref name="elapsed"/>; <paramref name="lapsed"/> deliveries gave up.</summary>
    public void Notified(TimeSpan elapsed, int revocations, int lapsed)
    {
        for (var i = 0; i < revocations; i++)
        {
            _notifyDuration.Record(elapsed.TotalSeconds);
        }

        if (lapsed > 0)
        {
            _lapsed.Add(lapsed);
        }
    }

    public void BatchSent(int notices)
    {
        _batches.Add(1);
        _notices.Add(notices);
    }

    /// <summary>Partition <paramref name="partition"/> on this silo knows <paramref name="count"/> nodes.</summary>
    public void LeasedNodes(int partition, int count) => _leasedNodes[partition] = count;

    /// <summary>Partition <paramref name="partition"/> left this silo.</summary>
    public void PartitionGone(int partition) => _leasedNodes.TryRemove(partition, out _);
}
