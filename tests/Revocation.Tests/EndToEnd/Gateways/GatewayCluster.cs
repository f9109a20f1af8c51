namespace Revocation.Tests.EndToEnd.Gateways;

/// <summary>
/// 2 silos and 2 API nodes (leases of 1 s renewed every 200 ms, so that a paused node costs a
/// revocation 1 s rather than 5), nginx in front of API node 0 and Caddy in front of API node 1,
/// one Python backend behind both: shared by <see cref="GatewayProcessTests"/>.
/// </summary>
public sealed class GatewayCluster : IAsyncLifetime
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    public ClusterNodes Nodes { get; private set; } = null!;

    public GatewayProcesses Gateways { get; private set; } = null!;

    /// <summary>How long the cluster and the gateways took to start.</summary>
    public string StartedIn { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["NodeLeases__LeaseDuration"] = "00:00:01",
            ["RevocationCheck__NearCache__RenewPeriod"] = "00:00:00.2",
        });
        var cluster = clock.Elapsed;
        try
        {
            Gateways = await GatewayProcesses.StartAsync(Nodes.Cluster.Api(0), Nodes.Cluster.Api(1), Nodes.Tokens);
            var gateways = clock.Elapsed - cluster;
            await Nodes.WaitForLeasesAsync();
            StartedIn = $"cluster up {cluster.TotalSeconds:F1} s, gateways and backend {gateways.TotalSeconds:F1} s, leases held {clock.Elapsed.TotalSeconds:F1} s after the start";
        }
        catch
        {
            await Nodes.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Gateways.DisposeAsync();
        }
        finally
        {
            await Nodes.DisposeAsync();
        }
    }
}
