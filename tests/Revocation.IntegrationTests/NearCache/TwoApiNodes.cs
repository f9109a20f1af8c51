using Microsoft.Extensions.DependencyInjection;
using Revocation.AspNetCore.NearCache;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>Two API nodes with near caches (A and B) on two real silos, both holding a lease when the tests start.</summary>
public class TwoApiNodes : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();

    public TestSilos Silos { get; private set; } = null!;

    public ApiFactory NodeA { get; private set; } = null!;

    public ApiFactory NodeB { get; private set; } = null!;

    public HttpClient A { get; private set; } = null!;

    public HttpClient B { get; private set; } = null!;

    /// <summary>What the test database is named after.</summary>
    protected virtual string Purpose => "nearcache";

    /// <summary>Settings both nodes take over the test defaults.</summary>
    protected virtual Dictionary<string, string?>? NodeSettings => null;

    public async Task InitializeAsync()
    {
        // Revocations from both silos at once on a machine running other test classes beside
        // these: a second for a statement (the default) was once too short for an upsert there.
        Silos = await TestSilos.StartAsync(2, Purpose, settings: new Dictionary<string, string?> { ["Database:CommandTimeout"] = "00:00:03" });
        NodeA = new ApiFactory(Silos, Tokens, NodeSettings);
        NodeB = new ApiFactory(Silos, Tokens, NodeSettings);
        A = NodeA.CreateClient();
        B = NodeB.CreateClient();
        await Silos.PassLeaseStartAsync();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(HoldsLease(NodeA) && HoldsLease(NodeB)), () => "both nodes should hold a lease");
    }

    public virtual async Task DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
        await Silos.DisposeAsync();
        Tokens.Dispose();
    }

    internal static NearCacheState Cache(ApiFactory node) => node.Services.GetRequiredService<NearCacheState>();

    /// <summary>Node <paramref name="node"/>'s own monotonic clock: its cache's instants are timestamps of it.</summary>
    public static long Now(ApiFactory node) => node.Services.GetRequiredService<TimeProvider>().GetTimestamp();

    public static bool HoldsLease(ApiFactory node) => Cache(node).HoldsLease(Now(node));
}

[CollectionDefinition(Name)]
public sealed class TwoApiNodesCollection : ICollectionFixture<TwoApiNodes>
{
    public const string Name = "two API nodes with near caches";
}
