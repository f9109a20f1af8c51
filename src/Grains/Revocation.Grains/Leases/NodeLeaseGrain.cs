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
/// Safety rests on three rules. A node counts its lease from when it sent the renewal, so it stops
/// serving cached "not revoked" answers before this grain stops counting on it. A lease is not
/// extended while a notice to the node is undelivered, so a notice given up at the lease's end
/// cannot be overtaken by an extension. And this grain keeps its node list in memory only: a new
/// activation (after a crash, say) does not know the leases granted before it, so no revocation
/// completes until one lease duration has passed since it started; by then every such lease has run out.
/// </remarks>
[Reentrant]
public sealed partial class NodeLeaseGrain(
    IOptions<NodeLeaseOptions> options,
    TimeProvider time,
    NodeLeaseMetrics metrics,
    ILogger<NodeLeaseGrain> logger) : Grain, INodeLeaseGrain
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly TimeSpan _leaseDuration = options.Value.LeaseDuration;
    private readonly Dictionary<Guid, LeasedNode> _nodes = [];
    private long _startedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _startedAt = time.GetTimestamp();
        this.RegisterGrainTimer(
            ForgetLapsedNodes,
            new GrainTimerCreationOptions(_leaseDuration, _leaseDuration) { Interleave = true, KeepAlive = false });
        LogActivated(logger, _leaseDuration);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.LeasedNodes(0);
        return Task.CompletedTask;
    }

    public Task<LeaseGrant> RenewAsync(Guid nodeId, IRevocationListener listener, Guid leaseId)
    {
        var now = time.GetTimestamp();
        if (_nodes.TryGetValue(nodeId, out var node) && node.LeaseId == leaseId && node.IsLiveAt(now))
        {
            node.Listener = listener;
            if (node.HasUndelivered)
            {
                // Not extended: the delivery under way gives up at the current end of the lease.
                metrics.Renewed("held");
                return Task.FromResult(new LeaseGrant(leaseId, Remaining(node, now)));
            }

            node.ExtendTo(now + Ticks(_leaseDuration));
            metrics.Renewed("extended");
            return Task.FromResult(new LeaseGrant(leaseId, _leaseDuration));
        }

        // No lease, or one this activation no longer counts on: a new one, and the node starts afresh.
        var fresh = new LeasedNode(nodeId, listener, Guid.NewGuid(), now + Ticks(_leaseDuration));
        _nodes[nodeId] = fresh;
        metrics.Renewed("granted");
        metrics.LeasedNodes(_nodes.Count);
        LogGranted(logger, nodeId, fresh.LeaseId);
        return Task.FromResult(new LeaseGrant(fresh.LeaseId, _leaseDuration));
    }

    public Task ReleaseAsync(Guid nodeId, Guid leaseId)
    {
        if (_nodes.TryGetValue(nodeId, out var node) && node.LeaseId == leaseId)
        {
            node.Release();
            _nodes.Remove(nodeId);
            metrics.LeasedNodes(_nodes.Count);
            LogReleased(logger, nodeId, leaseId);
        }

        return Task.CompletedTask;
    }

    public async Task NotifyAsync(RevocationNotice notice)
    {
        var started = time.GetTimestamp();
        var waiter = new NoticeWaiter();
        foreach (var node in _nodes.Values)
        {
            if (!node.IsLiveAt(started))
            {
                continue;
            }

            node.Queue(notice, waiter);
            if (!node.Delivering)
            {
                _ = DeliverQueuedAsync(node);
            }
        }

        waiter.Sealed();

        // Leases granted by an earlier activation are unknown here: wait until they have run out.
        var unknownLeasesEnd = _leaseDuration - time.GetElapsedTime(_startedAt, started);
        if (unknownLeasesEnd > TimeSpan.Zero)
        {
            await Task.WhenAll(waiter.Done, Task.Delay(TimerWaits.NotBefore(unknownLeasesEnd), time));
        }
        else
        {
            await waiter.Done;
        }

        metrics.Notified(time.GetElapsedTime(started), waiter.Lapsed);
    }

    /// <summary>Sends the node everything queued for it, batch after batch, until nothing is left or the lease runs out.</summary>
    private async Task DeliverQueuedAsync(LeasedNode node)
    {
        node.Delivering = true;
        try
        {
            while (!node.Broken)
            {
                var batch = node.TakeQueued();
                if (batch.Count == 0)
                {
                    return;
                }

                var acknowledged = await DeliverAsync(node, [.. batch.Select(b => b.Notice)]);
                foreach (var (_, waiter) in batch)
                {
                    waiter.Settled(acknowledged);
                }

                if (!acknowledged)
                {
                    LogLapsed(logger, node.NodeId, batch.Count);
                    node.Break();
                    metrics.LeasedNodes(_nodes.Count(n => n.Value.IsLiveAt(time.GetTimestamp())));
                }
            }
        }
        finally
        {
            node.Delivering = false;
        }
    }

    /// <summary>One batch to one node: acknowledged, or not before the node's lease ran out (retrying failures until then).</summary>
    private async Task<bool> DeliverAsync(LeasedNode node, RevocationNotice[] notices)
    {
        metrics.BatchSent(notices.Length);
        while (true)
        {
            if (node.Released.IsCompleted)
            {
                return true;
            }

            var left = Remaining(node, time.GetTimestamp());
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                var call = node.Listener.ApplyAsync(notices).WaitAsync(TimerWaits.NotBefore(left), time);

                // A node that gave its lease up serves nothing under it: no need to hear from it.
                if (await Task.WhenAny(call, node.Released) == call)
                {
                    await call;
                }

                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
            catch (Exception ex)
            {
                // The node's gateway may be changing (a silo left): the lease still holds, so keep trying.
                LogDeliveryFailed(logger, ex, node.NodeId);
                var pause = Remaining(node, time.GetTimestamp());
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause < RetryDelay ? pause : RetryDelay, time);
                }
            }
        }
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

        metrics.LeasedNodes(_nodes.Count);
        return Task.CompletedTask;
    }

    private TimeSpan Remaining(LeasedNode node, long now) =>
        node.Broken ? TimeSpan.Zero : time.GetElapsedTime(now, node.ExpiresAt);

    /// <summary><paramref name="duration"/> in <see cref="TimeProvider"/> timestamp units.</summary>
    private long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * time.TimestampFrequency);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Node lease grain activated (leases of {LeaseDuration}); revocations wait one lease for leases granted before")]
    private static partial void LogActivated(ILogger logger, TimeSpan leaseDuration);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "New lease {LeaseId} for API node {NodeId}")]
    private static partial void LogGranted(ILogger logger, Guid nodeId, Guid leaseId);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "API node {NodeId} did not acknowledge {Count} revocation(s) before its lease ran out; it serves no cached answer until it holds a new lease")]
    private static partial void LogLapsed(ILogger logger, Guid nodeId, int count);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "API node {NodeId} gave lease {LeaseId} up (shutting down)")]
    private static partial void LogReleased(ILogger logger, Guid nodeId, Guid leaseId);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Debug, Message = "Delivering revocations to API node {NodeId} failed; retrying while its lease lasts")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, Guid nodeId);
}
