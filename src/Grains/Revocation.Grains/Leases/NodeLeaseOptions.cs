namespace Revocation.Grains.Leases;

/// <summary>The near-cache leases the registry grants API nodes (<c>NodeLeases</c> section).</summary>
public sealed class NodeLeaseOptions
{
    public const string SectionName = "NodeLeases";

    /// <summary>
    /// How long the registry counts on an API node after a renewal: a node serves cached "not
    /// revoked" answers at most this long after its last renewal was sent, and a revocation waits at
    /// most this long for a node that does not acknowledge it (twice this right after the lease grain
    /// was activated anew, so that leases granted before cannot be missed). Nodes renew every
    /// <c>RevocationCheck:NearCache:RenewPeriod</c>, which must be well below it. The default is 5 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);
}
