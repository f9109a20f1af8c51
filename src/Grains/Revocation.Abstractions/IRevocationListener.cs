namespace Revocation.Abstractions;

/// <summary>
/// An API node's near cache, as the registry reaches it: told of every revocation while the node
/// holds a lease (<see cref="INodeLeaseGrain"/>). The call is acknowledged: it returns only after
/// the node has stopped serving any cached "not revoked" answer the notices contradict.
/// </summary>
[Alias("Revocation.IRevocationListener")]
public interface IRevocationListener : IGrainObserver
{
    /// <summary>Applies revocations (one or more, batched by the registry) to the node's cache.</summary>
    [Alias("Apply")]
    Task ApplyAsync(RevocationNotice[] notices);
}
