using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>
/// What the silos tell a lease partition (<see cref="NodeLeaseGrain"/>): revocations already durable,
/// to be delivered to every node with a live lease. Silo-internal: not in the contracts package, and
/// refused when a client calls it (<see cref="SiloInternalCallFilter"/>).
/// </summary>
[Alias("Revocation.INodeLeaseNotifications")]
public interface INodeLeaseNotifications : IGrainWithStringKey
{
    /// <summary>
    /// Tells every node with a live lease of a revocation that is already durable, in parallel, and
    /// returns when each acknowledged or its lease ran out.
    /// </summary>
    [Alias("Notify")]
    Task NotifyAsync(RevocationNotice notice);

    /// <summary>
    /// <see cref="NotifyAsync"/> for several revocations at once, as each silo relays them (one message
    /// per partition for however many revocations arrived meanwhile); returns when every node with a
    /// live lease acknowledged all of them or its lease ran out.
    /// </summary>
    [Alias("NotifyBatch")]
    Task NotifyBatchAsync(RevocationNotice[] notices);
}
