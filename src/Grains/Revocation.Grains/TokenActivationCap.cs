using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>
/// A hard bound on the token grains one silo holds (<see cref="TokenGrainOptions.MaxActivationsPerSilo"/>).
/// Idle collection alone never bounds memory under a steady stream of new tokens, and Orleans'
/// memory-pressure shedding depends on what the last GC reported; a count does not. When an
/// admission goes over the limit, the least recently used activations are evicted, found with
/// the second-chance (CLOCK) rule so that the check path only sets a flag and takes no lock.
/// </summary>
public sealed class TokenActivationCap(
    IOptions<TokenGrainOptions> options,
    RegistryMetrics metrics,
    TimeProvider time,
    ILogger<TokenActivationCap> logger)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly int _limit = options.Value.MaxActivationsPerSilo;
    private readonly LinkedList<ICappedActivation> _order = new();
    private readonly Lock _gate = new();
    private long _evictedSinceLog;
    private long _lastLogAt = long.MinValue;

    /// <summary>Activations currently counted against the limit.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>
    /// Counts a new activation and evicts the least recently used ones if that goes over the
    /// limit. Returns the handle to pass to <see cref="Release"/>, or null when there is no limit.
    /// </summary>
    public LinkedListNode<ICappedActivation>? Admit(ICappedActivation activation)
    {
        if (_limit <= 0)
        {
            return null;
        }

        List<ICappedActivation>? victims = null;
        LinkedListNode<ICappedActivation> entry;
        lock (_gate)
        {
            entry = _order.AddLast(activation);
            // Every pass clears the flags it skips, so this ends within two trips round the list.
            while (_order.Count > _limit)
            {
                var oldest = _order.First!;
                _order.RemoveFirst();
                // The newcomer is about to answer the call that activated it: never its own victim.
                if (oldest == entry || oldest.Value.TakeRecentUse())
                {
                    _order.AddLast(oldest);
                    continue;
                }

                (victims ??= []).Add(oldest.Value);
            }
        }

        if (victims is not null)
        {
            // Outside the lock: deactivation takes the victim's own lock.
            foreach (var victim in victims)
            {
                victim.Evict();
            }

            metrics.Evicted(victims.Count);
            ReportEvictions(victims.Count);
        }

        return entry;
    }

    /// <summary>Stops counting an activation that deactivated (idle, expired or evicted).</summary>
    public void Release(LinkedListNode<ICappedActivation> entry)
    {
        lock (_gate)
        {
            if (entry.List == _order)
            {
                _order.Remove(entry);
            }
        }
    }

    private void ReportEvictions(int evicted)
    {
        var total = Interlocked.Add(ref _evictedSinceLog, evicted);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogAt);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < LogInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastLogAt, now, last) == last)
        {
            Interlocked.Add(ref _evictedSinceLog, -total);
            TokenGrainLog.CapReached(logger, _limit, total);
        }
    }
}
