namespace Revocation.Grains.Leases;

/// <summary>
/// One revocation's wait for the nodes it was sent to: done when each acknowledged it or its lease
/// ran out, and the revocation has been <see cref="Seal">sealed</see> (no more nodes to add). Used
/// only on the lease grain's turn, so it needs no synchronisation.
/// </summary>
/// <remarks>
/// The seal counts as one more node to wait for. Without it, a delivery that settles synchronously
/// (a node whose lease ran out between the revocation's start and its delivery) could bring the
/// count to zero while later nodes were still being queued, and the revocation would return without
/// waiting for them.
/// </remarks>
internal sealed class NoticeWaiter
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waitingFor = 1;
    private bool _sealed;

    public Task Done => _done.Task;

    /// <summary>Nodes that did not acknowledge before their lease ran out.</summary>
    public int Lapsed { get; private set; }

    /// <summary>One more node to wait for; only before <see cref="Seal"/>.</summary>
    public void WaitFor()
    {
        if (_sealed)
        {
            throw new InvalidOperationException("A sealed revocation waits for no further node.");
        }

        _waitingFor++;
    }

    /// <summary>Every node the revocation goes to has been queued: done once each has settled.</summary>
    public void Seal()
    {
        if (!_sealed)
        {
            _sealed = true;
            Settle();
        }
    }

    public void Settled(bool acknowledged)
    {
        if (!acknowledged)
        {
            Lapsed++;
        }

        Settle();
    }

    private void Settle()
    {
        if (--_waitingFor == 0)
        {
            _done.TrySetResult();
        }
    }
}
