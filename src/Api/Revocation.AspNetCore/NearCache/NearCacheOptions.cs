namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// The near cache (<c>RevocationCheck:NearCache</c>):
/// answers kept in this node's memory, "not revoked" ones served only while the node holds a lease
/// from the registry, which tells it of every revocation before the revocation returns.
/// </summary>
public sealed class NearCacheOptions
{
    /// <summary>
    /// Whether checks are answered from the near cache. Off, every check asks the grains (one
    /// round trip to the silos per request). The default is true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the node renews its lease. It must be well below the lease the registry grants
    /// (<c>NodeLeases:LeaseDuration</c> on the silos, 5 seconds by default), so that one late renewal
    /// does not let the lease lapse. The default is 1 second.
    /// </summary>
    public TimeSpan RenewPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How much earlier than the registry this node ends its lease, for clocks that run at slightly
    /// different rates (the node counts from when it sent the renewal, so network delay needs no
    /// margin). The default is 100 milliseconds.
    /// </summary>
    public TimeSpan DriftMargin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Most token answers held at once, and most subject and most session answers (each kind has this cap); past it
    /// the least recently used go. About 200 bytes each (measured with 22-character jtis). The default is 100 000.
    /// </summary>
    public int SizeLimit { get; set; } = 100_000;

    /// <summary>
    /// Longest an answer is kept (never beyond the token's expiry): the bound on a stale answer from
    /// a second activation of the lease grain or of a token grain, which the registry's distributed
    /// grain directory allows only on a silo evicted while it still runs, until that silo stops
    /// itself; with the silos' <c>TokenGrain:NotRevokedMaxAge</c> at most 15 minutes after the
    /// revocation in all. The default is 5 minutes.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Into how many partitions the registry splits its lease service: the silos'
    /// <c>NodeLeases:Partitions</c>, which this must equal. The node renews with the partition its id
    /// hashes to; a partition refuses a node that counts otherwise, and such a node then holds no lease
    /// (every check asks the grains, and a warning names both settings). 1 to 64; the default is 1.
    /// </summary>
    public int LeasePartitions { get; set; } = 1;
}
