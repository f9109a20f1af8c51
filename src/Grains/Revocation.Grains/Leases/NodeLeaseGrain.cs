using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>
/// Grants API nodes their near-cache leases and delivers revocations to them. Reentrant: renewals
/// and notices interleave, and notices that arrive while a node's delivery is under way go to it
/// together in the next one (one message per node per round trip, however many revocations).
/// </summary>
/// <remarks>
/// Safety rests on four rules. A node counts its lease from when it sent the renewal, so it stops
/// serving cached "not revoked" answers before this grain stops counting on it. A lease is extended
/// at most one lease duration past the oldest notice the node has not acknowledged, and a delivery
/// gives up only when the lease has run out, so a node that does not take a notice loses its lease
/// within one lease of it (while a node that keeps acknowledging keeps its lease however many
/// revocations arrive). This grain keeps its node list in memory only: a new activation (after a
/// crash, say) does not know the leases granted before it, so no revocation completes until one lease
/// duration has passed since it started; by then every such lease has run out. And a node granted a
/// lease within that first lease duration is sent every revocation this activation handled so far,
/// waited for like the nodes told at once, so a node whose previous lease never lapsed may keep its
/// cached answers across the move (<see cref="LeaseGrant"/>).
/// <para>
/// One activation per partition of the lease service (<see cref="LeasePartitions"/>): its key names
/// its partition and the count of partitions, and it refuses a node or a revocation that counts
/// partitions otherwise than this silo (<see cref="NodeLeaseOptions.Partitions"/>, the same on every
/// silo of the cluster): a node in a partition nobody tells of revocations must never get a lease.
/// </para>
/// </remarks>
[Reentrant]
public sealed class NodeLeaseGrain(
    IOptions<NodeLeaseOptions> options,
    TimeProvider time,
    NodeLeaseMetrics metrics,
    ILogger<NodeLeaseGrain> logger) : Grain, INodeLeaseGrain, INodeLeaseNotifications, IIncomingGrainCallFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Who sent the call being served (each call's own flow; calls interleave).</summary>
    private static readonly AsyncLocal<GrainId?> Caller = new();

    private readonly TimeSpan _leaseDuration = options.Value.LeaseDuration;
    private readonly int _partitions = options.Value.Partitions;
    private int _partition;
    private string? _keyError;
    private readonly Dictionary<Guid, LeasedNode> _nodes = [];
    private readonly TaskCompletionSource _firstLeasePassed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Revocations handled within the first lease duration of this activation; <c>null</c> once it has passed.</summary>
    private List<(RevocationNotice Notice, NoticeWaiter Waiter)>? _sinceStart = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!LeasePartitions.TryParse(key, out _partition, out var count))
        {
            _keyError = $"'{key}' is not the key of a lease partition.";
        }
        else if (count != _partitions)
        {
            _keyError = $"Lease partition '{key}' is one of {count} partitions, but this cluster's silos run {_partitions} " +
                $"({NodeLeaseOptions.SectionName}:{nameof(NodeLeaseOptions.Partitions)}). Every API node must set " +
                $"RevocationCheck:NearCache:LeasePartitions to the silos' count; until it does, it gets no lease and every check asks the grains.";
        }

        if (_keyError is not null)
        {
            GrainsLog.LeaseRefusedKey(logger, _keyError);
            return Task.CompletedTask;
        }

        this.RegisterGrainTimer(
            FirstLeasePassed,
            new GrainTimerCreationOptions(TimerWaits.NotBefore(_leaseDuration), Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
        this.RegisterGrainTimer(
            ForgetLapsedNodes,
            new GrainTimerCreationOptions(_leaseDuration, _leaseDuration) { Interleave = true, KeepAlive = false });
        GrainsLog.LeaseServiceActivated(logger, _partition, _partitions, _leaseDuration);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_keyError is null)
        {
            // A refused key's partition number may be a real partition's, held by another activation.
            metrics.PartitionGone(_partition);
        }

        return Task.CompletedTask;
    }

    /// <summary>Notes the caller of every call, for the lease rules that depend on who holds a lease.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        Caller.Value = context.SourceId;
        await context.Invoke();
    }

    public Task<LeaseGrant> RenewAsync(Guid nodeId, IRevocationListener listener, Guid leaseId, long renewal)
    {
        ThrowIfRefused();
        if (LeasePartitions.Of(nodeId, _partitions) != _partition)
        {
            throw new ArgumentException($"API node {nodeId} belongs to lease partition {LeasePartitions.Of(nodeId, _partitions)}, not {_partition}.", nameof(nodeId));
        }

        // A lease belongs to the client that obtained it, and its notices go to that client only:
        // otherwise anyone who learned a node's id could renew its lease with a listener of their
        // own, acknowledge its notices and leave it serving revoked tokens from its cache.
        var caller = Caller.Value;
        if (!LeaseHolders.IsListenerOf(listener.GetGrainId(), caller))
        {
            metrics.Refused("foreign_listener");
            throw new ArgumentException("The listener is not an object of the calling client: a lease's revocations go only to the client that holds it.", nameof(listener));
        }

        var now = time.GetTimestamp();
        _nodes.TryGetValue(nodeId, out var node);
        if (node is not null && node.Holder != caller)
        {
            metrics.Refused("other_holder");
            GrainsLog.LeaseRefusedHolder(logger, nodeId);
            throw new InvalidOperationException($"API node {nodeId} holds its lease through another client: only that client can renew it.");
        }

        if (node is not null && renewal <= node.LastRenewal)
        {
            // The node gave up on this renewal long ago and has renewed since: changing anything now
            // would undo what the newer renewal did. The node does not read this answer.
            metrics.Renewed("stale");
            return Task.FromResult(new LeaseGrant(node.LeaseId, Remaining(node, now)));
        }

        if (node is not null && node.LeaseId == leaseId && node.IsLiveAt(now))
        {
            node.Listener = listener;
            node.LastRenewal = renewal;

            // Never beyond one lease past the oldest notice the node has not acknowledged: a node
            // that cannot take notices loses its lease within one lease of the first it missed.
            var until = now + Ticks(_leaseDuration);
            if (node.OldestUnacknowledged is { } oldest)
            {
                until = Math.Min(until, oldest + Ticks(_leaseDuration));
            }

            node.ExtendTo(until);
            metrics.Renewed(node.ExpiresAt == now + Ticks(_leaseDuration) ? "extended" : "held");
            return Task.FromResult(new LeaseGrant(leaseId, Remaining(node, now)));
        }

        // No lease, or one this activation no longer counts on: a new one.
        var fresh = new LeasedNode(nodeId, caller, listener, Guid.NewGuid(), now + Ticks(_leaseDuration), renewal);
        _nodes[nodeId] = fresh;
        if (_sinceStart is { Count: > 0 } handled)
        {
            foreach (var (notice, waiter) in handled)
            {
                fresh.Queue(notice, waiter, now);
            }

            _ = DeliverQueuedAsync(fresh);
        }

        metrics.Renewed("granted");
        metrics.LeasedNodes(_partition, _nodes.Count);
        GrainsLog.LeaseGranted(logger, nodeId);
        return Task.FromResult(new LeaseGrant(fresh.LeaseId, _leaseDuration));
    }

    public Task ReleaseAsync(Guid nodeId, Guid leaseId)
    {
        if (_nodes.TryGetValue(nodeId, out var node) && node.LeaseId == leaseId && node.Holder == Caller.Value)
        {
            node.Release();
            _nodes.Remove(nodeId);
            metrics.LeasedNodes(_partition, _nodes.Count);
            GrainsLog.LeaseReleased(logger, nodeId);
        }

        return Task.CompletedTask;
    }

    public Task NotifyAsync(RevocationNotice notice) => NotifyBatchAsync([notice]);

    public async Task NotifyBatchAsync(RevocationNotice[] notices)
    {
        ThrowIfRefused();
        var started = time.GetTimestamp();
        var waiter = new NoticeWaiter();
        foreach (var node in _nodes.Values)
        {
            if (!node.IsLiveAt(started))
            {
                continue;
            }

            foreach (var notice in notices)
            {
                node.Queue(notice, waiter, started);
            }

            if (!node.Delivering)
            {
                _ = DeliverQueuedAsync(node);
            }
        }

        // Leases granted by an earlier activation are unknown here: wait until they have run out,
        // and meanwhile send these revocations to every node that gets a lease as well.
        if (_sinceStart is { } handled)
        {
            handled.AddRange(notices.Select(notice => (notice, waiter)));
            await _firstLeasePassed.Task;
        }

        waiter.Seal();
        await waiter.Done;
        metrics.Notified(time.GetElapsedTime(started), notices.Length, waiter.Lapsed);
    }

    /// <summary>Sends the node everything queued for it, batch after batch, until nothing is left or the lease runs out.</summary>
    private async Task DeliverQueuedAsync(LeasedNode node)
    {
        try
        {
            while (!node.Broken)
            {
                var batch = node.TakeQueued();
                if (batch.Count == 0)
                {
                    return;
                }

                node.DeliveringSince = batch[0].QueuedAt;
                var acknowledged = await DeliverAsync(node, [.. batch.Select(b => b.Notice)]);
                foreach (var queued in batch)
                {
                    queued.Waiter.Settled(acknowledged);
                }

                if (!acknowledged)
                {
                    GrainsLog.LeaseLapsed(logger, node.NodeId, batch.Count);
                    node.Break();
                    metrics.LeasedNodes(_partition, _nodes.Count(n => n.Value.IsLiveAt(time.GetTimestamp())));
                }
            }
        }
        finally
        {
            node.DeliveringSince = null;
        }
    }

    /// <summary>
    /// One batch to one node: acknowledged, or not before the node's lease ran out (retrying failures
    /// until then). Renewals may extend the lease while the call is under way (up to one lease past
    /// the batch's oldest notice), so its end is read again whenever it is reached.
    /// </summary>
    private async Task<bool> DeliverAsync(LeasedNode node, RevocationNotice[] notices)
    {
        metrics.BatchSent(notices.Length);
        while (true)
        {
            if (node.Released.IsCompleted)
            {
                return true;
            }

            if (Remaining(node, time.GetTimestamp()) <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                var call = node.Listener.ApplyAsync(notices);

                // A node that gave its lease up serves nothing under it: no need to hear from it.
                var settled = Task.WhenAny(call, node.Released);
                while (!settled.IsCompleted)
                {
                    var left = Remaining(node, time.GetTimestamp());
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    try
                    {
                        await settled.WaitAsync(TimerWaits.NotBefore(left), time);
                    }
                    catch (TimeoutException)
                    {
                        // The lease's end as it stood; a renewal may have moved it since.
                    }
                }

                if (settled.Result == call)
                {
                    await call;
                }

                return true;
            }
            catch (Exception ex)
            {
                // The node's gateway may be changing (a silo left): the lease still holds, so keep trying.
                GrainsLog.NoticeDeliveryFailed(logger, ex, node.NodeId);
                var pause = Remaining(node, time.GetTimestamp());
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause < RetryDelay ? pause : RetryDelay, time);
                }
            }
        }
    }

    /// <summary>One lease duration after this activation started: every lease granted before it has run out.</summary>
    private Task FirstLeasePassed(CancellationToken cancellationToken)
    {
        _sinceStart = null;
        _firstLeasePassed.TrySetResult();
        return Task.CompletedTask;
    }

    private Task ForgetLapsedNodes(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        foreach (var (id, node) in _nodes.ToList())
        {
            if (!node.IsLiveAt(now) && !node.Delivering)
            {
                _nodes.Remove(id);
            }
        }

        metrics.LeasedNodes(_partition, _nodes.Count);
        return Task.CompletedTask;
    }

    /// <summary>A partition whose count disagrees with the silos' answers no one: see <see cref="OnActivateAsync"/>.</summary>
    private void ThrowIfRefused()
    {
        if (_keyError is not null)
        {
            // Answers nothing; gone once this call is answered, so that made-up keys do not pile up.
            DeactivateOnIdle();
            throw new InvalidOperationException(_keyError);
        }
    }

    private TimeSpan Remaining(LeasedNode node, long now) =>
        node.Broken ? TimeSpan.Zero : time.GetElapsedTime(now, node.ExpiresAt);

    /// <summary><paramref name="duration"/> in <see cref="TimeProvider"/> timestamp units.</summary>
    private long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * time.TimestampFrequency);

    // The lease id stays out of Information: with it and the node id, a client could once take a
    // node's lease over (now refused: RenewAsync binds a lease to its holder).
}
