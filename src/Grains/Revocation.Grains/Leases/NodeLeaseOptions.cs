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

    /// <summary>
    /// Into how many partitions the lease service is split: each is one lease grain activation (they
    /// spread over the silos), holding the API nodes whose id hashes to it; a revocation is told to
    /// every partition and returns when each answered. More partitions spread renewals and deliveries
    /// over more silos, and losing a silo then disturbs only the nodes of the partitions it held. The
    /// same count on every silo (checked at start against the cluster's, in the database) and on every
    /// API node (<c>RevocationCheck:NearCache:LeasePartitions</c>; a partition grain refuses a node that
    /// counts otherwise). 1 to 64; the default is 1.
    /// </summary>
    public int Partitions { get; set; } = 1;
}
