using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Gateways;

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
        var basePort = LocalCluster.FreePortBlock();
        var gateways = GatewayProcesses.StartAsync(LocalCluster.ApiUri(basePort, 0), LocalCluster.ApiUri(basePort, 1));
        var nodes = ClusterNodes.UpAsync(silos: 2, apis: 2, new Dictionary<string, string>
        {
            ["NodeLeases__LeaseDuration"] = "00:00:01",
            ["RevocationCheck__NearCache__RenewPeriod"] = "00:00:00.2",
        }, basePort);
        try
        {
            await Task.WhenAll(gateways, nodes);
            Gateways = gateways.Result;
            Nodes = nodes.Result;
            var up = clock.Elapsed;
            await Nodes.WaitForLeasesAsync();
            StartedIn = $"cluster and gateways up {up.TotalSeconds:F1} s (started together), leases held {clock.Elapsed.TotalSeconds:F1} s after the start";
        }
        catch
        {
            await StopAsync(gateways.IsCompletedSuccessfully ? gateways.Result : null, nodes.IsCompletedSuccessfully ? nodes.Result : null);
            throw;
        }
    }

    public Task DisposeAsync() => StopAsync(Gateways, Nodes);

    private static async Task StopAsync(GatewayProcesses? gateways, ClusterNodes? nodes)
    {
        try
        {
            if (gateways is not null)
            {
                await gateways.StopAsync(nodes?.Tokens.Minted ?? []);
            }
        }
        finally
        {
            if (nodes is not null)
            {
                await nodes.DisposeAsync();
            }
        }
    }
}
