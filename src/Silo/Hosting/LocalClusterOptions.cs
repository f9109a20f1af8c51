namespace Revocation.Silo.Hosting;

/// <summary>
/// Identity and endpoints of this silo, bound from the <c>Cluster</c> section. Localhost
/// clustering for now: every silo listens on 127.0.0.1 and finds the others through the primary.
/// </summary>
public sealed class LocalClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>The cluster this silo joins. The default is <c>dev</c>.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service identity; persistent data is keyed by it. The default is <c>revocation-registry</c>.</summary>
    public string ServiceId { get; set; } = "revocation-registry";

    /// <summary>Port for silo-to-silo traffic. The default is 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (API nodes) connect to. The default is 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The silo port of the primary silo that the others join; unset means this silo is the primary.
    /// </summary>
    public int? PrimarySiloPort { get; set; }
}
