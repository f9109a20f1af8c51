namespace Revocation.Abstractions;

/// <summary>
/// The near-cache leases of API nodes and the delivery of revocations to them (Gray and Cheriton's
/// leases at node granularity). A node may serve a cached "not revoked" answer only while it holds
/// a lease; a revocation returns only when every node with a live lease acknowledged it or that
/// lease ran out. One activation per lease partition (<see cref="LeasePartitions"/>).
/// </summary>
/// <remarks>
/// What API nodes call. The silos tell a partition of revocations through their own interface
/// (<c>INodeLeaseNotifications</c>, not in this package). A lease belongs to the client that obtained
/// it: only that client can renew or release it, with a listener of its own.
/// </remarks>
[Alias("Revocation.INodeLeaseGrain")]
public interface INodeLeaseGrain : IGrainWithStringKey
{
    /// <summary>The key of the one lease grain.</summary>
    public const string Key = "nodes";

    /// <summary>
    /// Grants or extends the lease of node <paramref name="nodeId"/>. The node counts its lease from
    /// when it <em>sent</em> this call, so that it always ends before the registry stops counting on it.
    /// A lease is extended at most one lease duration past the oldest notice the node has not
    /// acknowledged yet.
    /// </summary>
    /// <param name="nodeId">The node, fixed for its process lifetime.</param>
    /// <param name="listener">Where the node is told of revocations.</param>
    /// <param name="leaseId">The id of the lease the node holds (<see cref="Guid.Empty"/>: none).</param>
    /// <param name="renewal">
    /// The renewal's number, increasing with every renewal the node sends. A renewal that arrives after
    /// a later one (the node gave up on it; it was delivered late) changes nothing.
    /// </param>
    [Alias("RenewInOrder")]
    Task<LeaseGrant> RenewAsync(Guid nodeId, IRevocationListener listener, Guid leaseId, long renewal);

    /// <summary>
    /// Node <paramref name="nodeId"/> gave up lease <paramref name="leaseId"/> (it is shutting down)
    /// and serves no cached answer under it any more: the registry stops waiting for it.
    /// </summary>
    [Alias("Release")]
    Task ReleaseAsync(Guid nodeId, Guid leaseId);
}
