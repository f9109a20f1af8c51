using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>
/// One API node as the lease grain sees it: its listener, its lease, and the notices not yet
/// acknowledged. Used only on the lease grain's turn.
/// </summary>
internal sealed class LeasedNode(Guid nodeId, GrainId? holder, IRevocationListener listener, Guid leaseId, long expiresAt, long renewal)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<QueuedNotice> _queued = [];

    public Guid NodeId { get; } = nodeId;

    /// <summary>The client that obtained the lease: the only one that may renew or release it.</summary>
    public GrainId? Holder { get; } = holder;

    public IRevocationListener Listener { get; set; } = listener;

    public Guid LeaseId { get; } = leaseId;

    /// <summary>When the registry stops counting on the node (a <see cref="TimeProvider"/> timestamp).</summary>
    public long ExpiresAt { get; private set; } = expiresAt;

    /// <summary>The number of the latest renewal taken from the node; older ones arriving late are ignored.</summary>
    public long LastRenewal { get; set; } = renewal;

    /// <summary>A notice was not acknowledged before the lease ran out: the lease is over for good.</summary>
    public bool Broken { get; private set; }

    /// <summary>When the oldest notice of the delivery under way was queued; <c>null</c> while none is under way (one at a time per node: calls to an observer do not interleave).</summary>
    public long? DeliveringSince { get; set; }

    public bool Delivering => DeliveringSince is not null;

    /// <summary>When the oldest notice the node has not acknowledged was queued (under way or waiting); <c>null</c>: none.</summary>
    public long? OldestUnacknowledged => DeliveringSince ?? (_queued.Count > 0 ? _queued[0].QueuedAt : null);

    public bool IsLiveAt(long now) => !Broken && now < ExpiresAt;

    public void ExtendTo(long expiresAt) => ExpiresAt = Math.Max(ExpiresAt, expiresAt);

    public void Queue(RevocationNotice notice, NoticeWaiter waiter, long queuedAt)
    {
        _queued.Add(new QueuedNotice(notice, waiter, queuedAt));
        waiter.WaitFor();
    }

    /// <summary>Everything queued, as one batch (oldest first); empty when nothing is.</summary>
    public List<QueuedNotice> TakeQueued()
    {
        var batch = _queued;
        _queued = [];
        return batch;
    }

    /// <summary>Completes when the node gave its lease up: a delivery under way need not wait any longer.</summary>
    public Task Released => _released.Task;

    /// <summary>The lease ran out with notices undelivered: settle them all as lapsed.</summary>
    public void Break() => End(acknowledged: false);

    /// <summary>The node gave its lease up and serves nothing under it: settle everything queued as done.</summary>
    public void Release()
    {
        _released.TrySetResult();
        End(acknowledged: true);
    }

    private void End(bool acknowledged)
    {
        Broken = true;
        foreach (var queued in TakeQueued())
        {
            queued.Waiter.Settled(acknowledged);
        }
    }
}
