namespace Revocation.Grains;

/// <summary>
/// A hard bound on the activations of one grain type on one silo. Idle collection alone never
/// bounds memory under a steady stream of new keys, and Orleans' memory-pressure shedding depends
/// on what the last GC reported; a count does not. When an admission goes over the limit, the
/// least recently used activations are evicted, found with the second-chance (CLOCK) rule so that
/// the call path only sets a flag and takes no lock.
/// </summary>
/// <param name="limit">The most activations held; 0 or less: no limit.</param>
/// <param name="time">Paces the report of evictions.</param>
public abstract class ActivationCap(int limit, TimeProvider time)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly LinkedList<ICappedActivation> _order = new();
    private readonly Lock _gate = new();
    private long _evictedSinceLog;
    private long _lastLogAt = long.MinValue;

    /// <summary>The most activations held; 0: no limit.</summary>
    public int Limit { get; } = Math.Max(0, limit);

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
        if (Limit == 0)
        {
            return null;
        }

        List<ICappedActivation>? victims = null;
        LinkedListNode<ICappedActivation> entry;
        lock (_gate)
        {
            entry = _order.AddLast(activation);
            // Every pass clears the flags it skips, so this ends within two trips round the list.
            while (_order.Count > Limit)
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

            Evicted(victims.Count);
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

    /// <summary>Counts <paramref name="count"/> evictions (a metric).</summary>
    protected abstract void Evicted(int count);

    /// <summary>Logs that the limit was reached and how many were evicted since the last report (at most once a minute).</summary>
    protected abstract void LogLimitReached(long evictedSinceLastReport);

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
            LogLimitReached(total);
        }
    }
}
