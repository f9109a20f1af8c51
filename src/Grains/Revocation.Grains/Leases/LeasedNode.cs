using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>
/// One API node as the lease grain sees it: its listener, its lease, and the notices not yet
/// acknowledged. Used only on the lease grain's turn.
/// </summary>
internal sealed class LeasedNode(Guid nodeId, IRevocationListener listener, Guid leaseId, long expiresAt)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<(RevocationNotice Notice, NoticeWaiter Waiter)> _queued = [];

    public Guid NodeId { get; } = nodeId;

    public IRevocationListener Listener { get; set; } = listener;

    public Guid LeaseId { get; } = leaseId;

    /// <summary>When the registry stops counting on the node (a <see cref="TimeProvider"/> timestamp).</summary>
    public long ExpiresAt { get; private set; } = expiresAt;

    /// <summary>A notice was not acknowledged before the lease ran out: the lease is over for good.</summary>
    public bool Broken { get; private set; }

    /// <summary>Whether a delivery is under way (one at a time per node: calls to an observer do not interleave).</summary>
    public bool Delivering { get; set; }

    /// <summary>Notices queued or being delivered: the lease must not be extended meanwhile.</summary>
    public bool HasUndelivered => Delivering || _queued.Count > 0;

    public bool IsLiveAt(long now) => !Broken && now < ExpiresAt;

    public void ExtendTo(long expiresAt) => ExpiresAt = Math.Max(ExpiresAt, expiresAt);

    public void Queue(RevocationNotice notice, NoticeWaiter waiter)
    {
        _queued.Add((notice, waiter));
        waiter.WaitFor();
    }

    /// <summary>Everything queued, as one batch; empty when nothing is.</summary>
    public List<(RevocationNotice Notice, NoticeWaiter Waiter)> TakeQueued()
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
        foreach (var (_, waiter) in TakeQueued())
        {
            waiter.Settled(acknowledged);
        }
    }
}
