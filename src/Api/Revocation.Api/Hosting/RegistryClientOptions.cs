namespace Revocation.Api.Hosting;

/// <summary>How an API node finds the silos' gateways.</summary>
public enum RegistryClustering
{
    /// <summary>Active gateways from the Orleans membership table in the registry database: new silos are found without configuration.</summary>
    AdoNet,

    /// <summary>A fixed list of gateway ports on 127.0.0.1 (<see cref="RegistryClientOptions.GatewayPorts"/>): for development.</summary>
    Localhost,
}

/// <summary>How this API node reaches the silo cluster, bound from the <c>Registry</c> section.</summary>
public sealed class RegistryClientOptions
{
    public const string SectionName = "Registry";

    /// <summary>
    /// How gateways are found. The default is <see cref="RegistryClustering.AdoNet"/>, reading the
    /// membership table through <c>ConnectionStrings:Registry</c>.
    /// </summary>
    public RegistryClustering Clustering { get; set; } = RegistryClustering.AdoNet;

    /// <summary>The registry database (from <c>ConnectionStrings:Registry</c>); needed for <see cref="RegistryClustering.AdoNet"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How often the gateway list is re-read, so that new silos start taking this node's calls.
    /// The default is 5 seconds (Orleans: 1 minute).
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The cluster to join. The default is <c>dev</c>.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service identity; must match the silos'. The default is <c>revocation-registry</c>.</summary>
    public string ServiceId { get; set; } = "revocation-registry";

    /// <summary>
    /// Gateway ports of silos on 127.0.0.1, for <see cref="RegistryClustering.Localhost"/>; no
    /// default (a default array would be appended to, not replaced, by configured ports).
    /// </summary>
    public int[] GatewayPorts { get; set; } = [];

    /// <summary>
    /// Timeout for registry calls made by endpoints (logout, admin, revocation). A revocation returns
    /// once every API node with a near-cache lease acknowledged it, which takes up to one lease
    /// (<c>NodeLeases:LeaseDuration</c>, 5 s) when a node is paused, and up to two right after the
    /// lease grain moved to another silo: keep this above twice the lease. The per-request check has
    /// its own, <c>RevocationCheck:Timeout</c>. The default is 15 seconds.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Timeout of <c>POST /admin/sweeper/run</c>, which lasts as long as the sweep (about the
    /// silo's <c>Sweeper:TimeBudget</c>); at most <see cref="MaxSweepTimeout"/>. The default is 1 minute.
    /// </summary>
    public TimeSpan SweepTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The sweeper's run call's own response timeout (<see cref="Revocation.Abstractions.ISweeperGrain.RunResponseTimeout"/>): a longer wait could never be honoured.</summary>
    public static TimeSpan MaxSweepTimeout { get; } = TimeSpan.Parse(Revocation.Abstractions.ISweeperGrain.RunResponseTimeout, System.Globalization.CultureInfo.InvariantCulture);
}
