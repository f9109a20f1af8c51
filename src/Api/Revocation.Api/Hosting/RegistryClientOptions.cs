namespace Revocation.Api.Hosting;

/// <summary>How this API node reaches the silo cluster, bound from the <c>Registry</c> section.</summary>
public sealed class RegistryClientOptions
{
    public const string SectionName = "Registry";

    /// <summary>The cluster to join. The default is <c>dev</c>.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service identity; must match the silos'. The default is <c>revocation-registry</c>.</summary>
    public string ServiceId { get; set; } = "revocation-registry";

    /// <summary>Gateway ports of silos on 127.0.0.1 (localhost clustering). The default is 30000.</summary>
    public int[] GatewayPorts { get; set; } = [30000];

    /// <summary>
    /// Timeout for registry calls made by endpoints (logout, admin, revocation). The per-request
    /// check has its own, <c>RevocationCheck:Timeout</c>. The default is 5 seconds.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Timeout of <c>POST /admin/sweeper/run</c>, which lasts as long as the sweep (at most the
    /// silo's <c>Sweeper:TimeBudget</c>). The default is 1 minute.
    /// </summary>
    public TimeSpan SweepTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
