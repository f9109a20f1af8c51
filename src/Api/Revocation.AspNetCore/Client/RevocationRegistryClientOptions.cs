using Revocation.ClusterIdentity;

namespace Revocation.AspNetCore;

/// <summary>How this process reaches the registry's silos, bound from the <c>Registry</c> section.</summary>
public class RevocationRegistryClientOptions
{
    public const string SectionName = "Registry";

    /// <summary>How gateways are found. The default is <see cref="RegistryClustering.AdoNet"/>.</summary>
    public RegistryClustering Clustering { get; set; } = RegistryClustering.AdoNet;

    /// <summary>The registry database (default: <c>ConnectionStrings:Registry</c>); needed for <see cref="RegistryClustering.AdoNet"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gateway endpoints as <c>address:port</c> (IPv4 or IPv6 address; <c>[::1]:30000</c>), for
    /// <see cref="RegistryClustering.Static"/>; no default.
    /// </summary>
    public string[] Gateways { get; set; } = [];

    /// <summary>
    /// Gateway ports of silos on 127.0.0.1, for <see cref="RegistryClustering.Localhost"/>; no
    /// default (a default array would be appended to, not replaced, by configured ports).
    /// </summary>
    public int[] GatewayPorts { get; set; } = [];

    /// <summary>
    /// How often the gateway list is re-read, so that new silos start taking this process's calls.
    /// The default is 5 seconds (Orleans: 1 minute).
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The cluster to join, as the silos': set as <c>Orleans:ClusterId</c> (the same key on silos and
    /// API nodes); <c>Registry:ClusterId</c> is its earlier name, still read. The default is <c>dev</c>.
    /// </summary>
    public string ClusterId { get; set; } = ClusterIdentitySettings.DefaultClusterId;

    /// <summary>
    /// The service identity, as the silos': set as <c>Orleans:ServiceId</c>; <c>Registry:ServiceId</c>
    /// is its earlier name. The default is <c>revocation-registry</c>.
    /// </summary>
    public string ServiceId { get; set; } = ClusterIdentitySettings.DefaultServiceId;
}
