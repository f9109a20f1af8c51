namespace Revocation.Grains.Leases;

/// <summary>
/// One revocation's wait for the nodes it was sent to: done when each acknowledged it or its lease
/// ran out. Used only on the lease grain's turn, so it needs no synchronisation.
/// </summary>
internal sealed class NoticeWaiter
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waitingFor;

    public Task Done => _done.Task;

    /// <summary>Nodes that did not acknowledge before their lease ran out.</summary>
    public int Lapsed { get; private set; }

    public void WaitFor() => _waitingFor++;

    /// <summary>Called once the notice is settled on every node it was sent to (possibly none).</summary>
    public void Sealed()
    {
        if (_waitingFor == 0)
        {
            _done.TrySetResult();
        }
    }

    public void Settled(bool acknowledged)
    {
        if (!acknowledged)
        {
            Lapsed++;
        }

        if (--_waitingFor == 0)
        {
            _done.TrySetResult();
        }
    }
}
