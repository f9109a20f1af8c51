using System.Collections.Concurrent;
using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// A map of answers with a hard cap on entries. Reads are lock-free; every write happens under the
/// owner's lock, so the cap is exact: an entry is evicted before one beyond the cap is added. The
/// victim is chosen by the clock rule (second chance: an answer served since the hand last passed
/// is skipped once), preferring answers that can no longer be served.
/// </summary>
/// <remarks>
/// Written here rather than taken from a cache library: the libraries tried bound their size only
/// approximately under concurrent adds, cost more bytes per entry, and the cache needs its writes
/// serialised with its lease state anyway (a fill must not land after an invalidation).
/// </remarks>
internal sealed class AnswerRing(int capacity, Func<CachedAnswer, long, bool> isDead)
{
    private readonly ConcurrentDictionary<IssuerKey, CachedAnswer> _answers = new();
    private readonly List<CachedAnswer?> _ring = [];
    private readonly Stack<int> _freeSlots = new();
    private int _hand;
    private int _count;

    public int Capacity => capacity;

    /// <summary>Entries held; exact, read without a lock.</summary>
    public int Count => Volatile.Read(ref _count);

    public CachedAnswer? Find(IssuerKey key)
    {
        if (!_answers.TryGetValue(key, out var answer))
        {
            return null;
        }

        // Only the first use after the hand passed writes: the common hit reads and leaves.
        if (!answer.RecentlyUsed)
        {
            answer.RecentlyUsed = true;
        }

        return answer;
    }

    /// <summary>Adds or replaces; the caller holds the owner's lock.</summary>
    public void Put(CachedAnswer answer, long now)
    {
        if (_answers.TryGetValue(answer.Key, out var held))
        {
            answer.Slot = held.Slot;
            _ring[held.Slot] = answer;
            _answers[answer.Key] = answer;
            return;
        }

        int slot;
        if (_freeSlots.Count > 0)
        {
            slot = _freeSlots.Pop();
        }
        else if (_ring.Count < capacity)
        {
            slot = _ring.Count;
            _ring.Add(null);
        }
        else
        {
            slot = EvictOne(now);
        }

        answer.Slot = slot;
        _ring[slot] = answer;
        _answers[answer.Key] = answer;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Removes an entry; the caller holds the owner's lock.</summary>
    public void Remove(IssuerKey key)
    {
        if (_answers.TryRemove(key, out var answer))
        {
            _ring[answer.Slot] = null;
            _freeSlots.Push(answer.Slot);
            Volatile.Write(ref _count, _count - 1);
        }
    }

    /// <summary>Drops every entry that can never be served again; the caller holds the owner's lock.</summary>
    public void RemoveDead(long now)
    {
        for (var slot = 0; slot < _ring.Count; slot++)
        {
            if (_ring[slot] is { } answer && isDead(answer, now))
            {
                Remove(answer.Key);
            }
        }
    }

    /// <summary>Frees a slot by the clock rule and returns it (full ring, so every slot is taken).</summary>
    private int EvictOne(long now)
    {
        while (true)
        {
            var slot = _hand;
            _hand = (_hand + 1) % _ring.Count;
            var answer = _ring[slot]!;
            if (answer.RecentlyUsed && !isDead(answer, now))
            {
                answer.RecentlyUsed = false;
                continue;
            }

            _answers.TryRemove(answer.Key, out _);
            _ring[slot] = null;
            Volatile.Write(ref _count, _count - 1);
            return slot;
        }
    }
}
