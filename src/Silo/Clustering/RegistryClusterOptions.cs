using Revocation.ClusterIdentity;

namespace Revocation.Silo.Clustering;

/// <summary>How silos find each other.</summary>
public enum ClusterProvider
{
    /// <summary>Membership in the registry's PostgreSQL database (Orleans ADO.NET clustering): for real deployments.</summary>
    AdoNet,

    /// <summary>Every silo on 127.0.0.1, joining through the primary silo's port: for development only.</summary>
    Localhost,
}

/// <summary>Identity, endpoints and membership of this silo, bound from the <c>Cluster</c> section.</summary>
public sealed class RegistryClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>How silos find each other. The default is <see cref="ClusterProvider.AdoNet"/>.</summary>
    public ClusterProvider Provider { get; set; } = ClusterProvider.AdoNet;

    /// <summary>
    /// The cluster this silo joins; silos and clients with the same id form one cluster. Set as
    /// <c>Orleans:ClusterId</c> (as on the API nodes); <c>Cluster:ClusterId</c> is its earlier name,
    /// still read. The default is <c>dev</c>.
    /// </summary>
    public string ClusterId { get; set; } = ClusterIdentitySettings.DefaultClusterId;

    /// <summary>
    /// The service identity; persistent data (reminders, grain state) is keyed by it. Set as
    /// <c>Orleans:ServiceId</c>; <c>Cluster:ServiceId</c> is its earlier name. The default is <c>revocation-registry</c>.
    /// </summary>
    public string ServiceId { get; set; } = ClusterIdentitySettings.DefaultServiceId;

    /// <summary>Port for silo-to-silo traffic. The default is 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (API nodes) connect to. The default is 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The IP address (or host name, resolved at start) other silos and clients use to reach this
    /// silo. Unset or empty: with <see cref="ClusterProvider.AdoNet"/>, the first IPv4 address of this host
    /// (what a container wants); with <see cref="ClusterProvider.Localhost"/>, 127.0.0.1.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Localhost clustering only: the silo port of the primary silo that the others join; unset
    /// means this silo is the primary.
    /// </summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>
    /// The grain directory: <see cref="GrainDirectoryKind.Distributed"/> keeps one activation per grain
    /// among the cluster's members through membership changes (docs/DESIGN.md, "Duplicate
    /// activations"); <see cref="GrainDirectoryKind.Local"/> is Orleans' default. The default is
    /// <see cref="GrainDirectoryKind.Distributed"/>.
    /// </summary>
    public GrainDirectoryKind GrainDirectory { get; set; } = GrainDirectoryKind.Distributed;
}
