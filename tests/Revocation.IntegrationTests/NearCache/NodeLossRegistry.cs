using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>Two silos whose store waits up to 10 s for a write (a held write outlives the node that asked for it), and node B.</summary>
public sealed class NodeLossRegistry : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();

    public TestSilos Silos { get; private set; } = null!;

    public ApiFactory NodeB { get; private set; } = null!;

    public HttpClient B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silos = await TestSilos.StartAsync(2, "nodeloss", settings: new Dictionary<string, string?> { ["Database:CommandTimeout"] = "00:00:10" });
        NodeB = new ApiFactory(Silos, Tokens);
        B = NodeB.CreateClient();
        await Silos.PassLeaseStartAsync();
    }

    /// <summary>
    /// An API node whose host gives in-flight requests 100 ms on shutdown: disposing it mid-request
    /// aborts the request's connection, as a node stopped hard would.
    /// </summary>
    public ApiFactory StartHardStoppingNode() => new(Silos, Tokens, services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100)));

    /// <summary>Stops a node started by <see cref="StartHardStoppingNode"/>.</summary>
    public static async Task StopHardAsync(ApiFactory node)
    {
        try
        {
            await node.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The 100 ms also cut the node's Orleans client shutdown short: that is the hard stop.
        }
    }

    /// <summary>A node restarted after the hard stop, stopped normally.</summary>
    public ApiFactory StartNode() => new(Silos, Tokens);

    public async Task DisposeAsync()
    {
        B.Dispose();
        await NodeB.DisposeAsync();
        await Silos.DisposeAsync();
        Tokens.Dispose();
    }
}
