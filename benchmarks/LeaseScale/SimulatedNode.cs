using System.Collections.Concurrent;
using System.Diagnostics;
using Revocation.Abstractions;

/// <summary>
/// One API node as the lease service sees it: its own node id and listener, a renewal every period
/// (numbered, given up after two periods, as <c>NodeLease</c> does), notices acknowledged at once.
/// Its lease is counted from when a renewal was sent, less the API nodes' drift margin (100 ms).
/// </summary>
internal sealed class SimulatedNode(Guid id, IGrainFactory grains, int partitions, TimeSpan renewPeriod, TokenIds jtis, NoticeSet measured)
    : IRevocationListener
{
    private static readonly TimeSpan DriftMargin = TimeSpan.FromMilliseconds(100);

    private readonly INodeLeaseGrain _partition = grains.GetGrain<INodeLeaseGrain>(LeasePartitions.Key(LeasePartitions.Of(id, partitions), partitions));
    private readonly TimeSpan _renewalTimeout = renewPeriod < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : renewPeriod * 2;
    private readonly ConcurrentQueue<LeaseEvent> _events = new();
    private Guid _leaseId;
    private long _leaseEndsAt;
    private long _renewals;
    private long _notices;
    private long _batches;

    public NoticeSet Measured => measured;

    /// <summary>Every renewal so far, in order.</summary>
    public IReadOnlyCollection<LeaseEvent> Events => _events;

    /// <summary>Notices received (every one, duplicates and warm-up included).</summary>
    public long Notices => Interlocked.Read(ref _notices);

    /// <summary><see cref="ApplyAsync"/> calls received: the lease grain batches notices per node.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    public bool HoldsLease(long now) => now < Volatile.Read(ref _leaseEndsAt);

    public Task ApplyAsync(RevocationNotice[] notices)
    {
        foreach (var notice in notices)
        {
            if (notice.Kind == RevocationNoticeKind.Token)
            {
                measured.Add(jtis.IndexOf(notice.Key));
            }
        }

        Interlocked.Add(ref _notices, notices.Length);
        Interlocked.Increment(ref _batches);
        return Task.CompletedTask;
    }

    /// <summary>Renews until <paramref name="stop"/>, starting at a random point of the first period so that nodes spread.</summary>
    public async Task RunAsync(IRevocationListener listener, CancellationToken stop)
    {
        var next = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * renewPeriod.TotalSeconds * Stopwatch.Frequency);
        while (!stop.IsCancellationRequested)
        {
            if (!await DelayUntilAsync(next, stop))
            {
                return;
            }

            await RenewAsync(listener, stop);
            // ±5 % per period, so that nodes started together do not stay in step.
            next += (long)(renewPeriod.TotalSeconds * (0.95 + (0.1 * Random.Shared.NextDouble())) * Stopwatch.Frequency);
        }
    }

    /// <summary>Gives the lease up, as an API node does on shutdown: revocations stop waiting for it at once.</summary>
    public async Task ReleaseAsync()
    {
        if (_leaseId != Guid.Empty)
        {
            await _partition.ReleaseAsync(id, _leaseId).WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task RenewAsync(IRevocationListener listener, CancellationToken stop)
    {
        var sentAt = Stopwatch.GetTimestamp();
        LeaseEventKind kind;
        long receivedAt;
        try
        {
            var grant = await _partition.RenewAsync(id, listener, _leaseId, ++_renewals).WaitAsync(_renewalTimeout, stop);
            receivedAt = Stopwatch.GetTimestamp();
            kind = _leaseId == Guid.Empty ? LeaseEventKind.First
                : grant.LeaseId == _leaseId ? LeaseEventKind.Extended
                : HoldsLease(receivedAt) ? LeaseEventKind.Continued
                : LeaseEventKind.Lapsed;
            _leaseId = grant.LeaseId;
            var endsAt = sentAt + (long)((grant.Duration - DriftMargin).TotalSeconds * Stopwatch.Frequency);
            if (kind != LeaseEventKind.Extended || endsAt > _leaseEndsAt)
            {
                Volatile.Write(ref _leaseEndsAt, endsAt);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception)
        {
            // As on an API node: a failed renewal changes nothing, the lease runs out by itself.
            kind = LeaseEventKind.Failed;
            receivedAt = Stopwatch.GetTimestamp();
        }

        _events.Enqueue(new LeaseEvent(sentAt, receivedAt, kind, Volatile.Read(ref _leaseEndsAt)));
    }

    private static async Task<bool> DelayUntilAsync(long timestamp, CancellationToken stop)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(wait, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
