using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// Keeps this node's lease with the registry (<see cref="INodeLeaseGrain"/>) and takes the
/// revocations it is told of. The lease is counted from when the renewal was sent, minus
/// <see cref="NearCacheOptions.DriftMargin"/>: it ends before the registry stops counting on the node.
/// A renewal that fails leaves the lease to run out; nothing else is needed for safety.
/// </summary>
internal sealed class NodeLease(
    IServiceProvider services,
    NearCacheState cache,
    RevocationCheckSettings options,
    TimeProvider time,
    NearCacheMetrics metrics,
    ILogger<NodeLease> logger) : BackgroundService, IRevocationListener
{
    private readonly NearCacheOptions _settings = options.Current.NearCache;
    private readonly Guid _nodeId = Guid.NewGuid();
    private string? _partitionKey;
    private long _renewals;
    // A failing renewal repeats every period: its first line, then one every 30 seconds with the count between.
    private readonly LogBudget _renewalFailures = new(time, linesPerWindow: 1, window: TimeSpan.FromSeconds(30));
    private (long At, DateTimeOffset AtUtc) _lastRenewal;

    /// <summary>This node, as the registry knows it (fixed for the process lifetime).</summary>
    public Guid NodeId => _nodeId;

    /// <summary>The key of the lease partition this node belongs to (<see cref="NearCacheOptions.LeasePartitions"/>).</summary>
    public string PartitionKey => _partitionKey ??=
        Abstractions.LeasePartitions.Key(Abstractions.LeasePartitions.Of(_nodeId, _settings.LeasePartitions), _settings.LeasePartitions);

    public Task ApplyAsync(RevocationNotice[] notices)
    {
        cache.Apply(notices, time.After(time.GetTimestamp(), _settings.MaxAge));
        metrics.Invalidations(notices);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Current.UsesNearCache)
        {
            return;
        }

        metrics.Observe(cache, time);
        var grains = services.GetRequiredService<IGrainFactory>();
        var timeout = _settings.RenewPeriod < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _settings.RenewPeriod * 2;
        IRevocationListener? listener = null;
        using var timer = new PeriodicTimer(_settings.RenewPeriod, time);
        do
        {
            try
            {
                // Created once the client can: before it has connected this throws, and the loop retries.
                listener ??= grains.CreateObjectReference<IRevocationListener>(this);
                var sentAt = time.GetTimestamp();
                var sentAtUtc = time.GetUtcNow();
                NoticeClocksDisagreeing(sentAt, sentAtUtc);

                // Numbered: a renewal this loop gave up on may still reach the registry later, after a
                // newer one, and must not undo what the newer one did there.
                var grant = await grains.GetGrain<INodeLeaseGrain>(PartitionKey)
                    .RenewAsync(_nodeId, listener, cache.LeaseId, ++_renewals)
                    .WaitAsync(timeout, time, stoppingToken);
                var change = cache.LeaseGranted(grant.LeaseId, LeaseTerm.From(time, sentAt, sentAtUtc, grant.Duration - _settings.DriftMargin));
                metrics.LeaseRenewal(change);
                if (change == LeaseChange.New)
                {
                    RevocationCheckLog.NewLease(logger, grant.LeaseId, grant.Duration);
                }
                else if (change == LeaseChange.Continued)
                {
                    RevocationCheckLog.ContinuedLease(logger, grant.LeaseId);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.LeaseRenewal("failed");
                LogRenewalFailedQuietly(ex);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    /// <summary>
    /// On shutdown: stop serving lease-bound answers, then give the lease up, so that revocations
    /// made meanwhile do not wait for this node until its lease would have run out.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var held = cache.EndLease();
        if (held == Guid.Empty || !options.Current.UsesNearCache)
        {
            return;
        }

        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<INodeLeaseGrain>(PartitionKey)
                .ReleaseAsync(_nodeId, held)
                .WaitAsync(TimeSpan.FromSeconds(2), time, cancellationToken);
        }
        catch (Exception ex)
        {
            // The lease then simply runs out on the registry's side.
            RevocationCheckLog.LeaseReleaseFailed(logger, ex);
        }
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The wall clock ran ahead of the monotonic clock since the last renewal: the machine was
    /// suspended (CLOCK_MONOTONIC stands still meanwhile), the VM paused or restored, or the wall
    /// clock stepped. <see cref="LeaseTerm"/> already stops lease-bound answers when the wall clock
    /// shows the lease ended; this says why checks suddenly ask the registry.
    /// </summary>
    private void NoticeClocksDisagreeing(long now, DateTimeOffset utcNow)
    {
        var (last, lastUtc) = _lastRenewal;
        _lastRenewal = (now, utcNow);
        if (last == 0)
        {
            return;
        }

        var ahead = utcNow - lastUtc - time.GetElapsedTime(last, now);
        if (ahead > _settings.DriftMargin)
        {
            metrics.ClocksDisagreed();
            RevocationCheckLog.ClocksDisagree(logger, ahead, cache.HoldsLease(now));
        }
    }

    private void LogRenewalFailedQuietly(Exception exception)
    {
        if (_renewalFailures.TryTake(key: 0, out var notLogged))
        {
            RevocationCheckLog.LeaseRenewalFailed(logger, exception, cache.HoldsLease(time.GetTimestamp()), notLogged);
        }
    }
}
