namespace Revocation.Grains;

/// <summary>
/// The second-chance mark of an activation under an <see cref="ActivationCap"/>: set by each call
/// except the one that activated it. Were that call counted, a stream of keys asked once each would
/// all look recently used, one trip of the clock would clear every mark, and the cap would evict
/// in plain admission order — the hot activations included.
/// </summary>
public struct RecentUse
{
    private bool _activatingCallSeen;
    private int _used;

    /// <summary>Records a call (a plain store: the cap reads it rarely, and a lost race only costs one eviction choice).</summary>
    public void Mark()
    {
        if (!_activatingCallSeen)
        {
            _activatingCallSeen = true;
            return;
        }

        _used = 1;
    }

    /// <summary>Whether a call was marked since the last time this was asked; clears the mark.</summary>
    public bool Take() => Interlocked.Exchange(ref _used, 0) == 1;
}
