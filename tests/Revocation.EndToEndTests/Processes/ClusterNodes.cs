using System.Net;

namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// A <see cref="LocalCluster"/> whose API nodes accept the tests' own HS256 key, so that tests
/// can mint as many tokens as they like without asking an API node.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private ClusterNodes(LocalCluster cluster, TestTokens tokens, int apis)
    {
        Cluster = cluster;
        Tokens = tokens;
        Api = [.. Enumerable.Range(0, apis).Select(i => new HttpClient { BaseAddress = cluster.Api(i), Timeout = TimeSpan.FromSeconds(10) })];
    }

    public LocalCluster Cluster { get; }

    public TestTokens Tokens { get; }

    public IReadOnlyList<HttpClient> Api { get; }

    public IEnumerable<Uri> ApiUris => Api.Select(client => client.BaseAddress!);

    /// <param name="basePort">The cluster's port block, when the caller chose it (<see cref="LocalCluster.FreePortBlock"/>).</param>
    public static async Task<ClusterNodes> UpAsync(int silos, int apis, IReadOnlyDictionary<string, string>? settings = null, int? basePort = null)
    {
        var tokens = new TestTokens();
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Jwt__SigningKey"] = tokens.HmacKeyBase64,
            ["Jwt__Issuer"] = TestTokens.Issuer,
            ["Jwt__Audience"] = TestTokens.Audience,
        };
        return new ClusterNodes(await LocalCluster.UpAsync(silos, apis, environment, tokens, basePort), tokens, apis);
    }

    /// <summary>A fresh token of its own subject (so that subject grains spread like token grains do).</summary>
    public string Mint(string? jti = null)
    {
        var id = jti ?? Guid.NewGuid().ToString("N");
        return Tokens.Mint(jti: id, sub: $"user-{id}");
    }

    public async Task<HttpStatusCode> MeAsync(int node, string token)
    {
        using var response = await Api[node].SendAsync(ApiNode.Get("/me", token));
        return response.StatusCode;
    }

    /// <summary>
    /// Logs the token out on <paramref name="node"/> (with <paramref name="everywhere"/>, every token
    /// of its subject issued so far); 204 means the revocation was acknowledged.
    /// </summary>
    public async Task<HttpStatusCode> LogoutAsync(int node, string token, bool everywhere = false)
    {
        using var response = await Api[node].SendAsync(ApiNode.Post(everywhere ? "/auth/logout?everywhere=true" : "/auth/logout", token));
        return response.StatusCode;
    }

    /// <summary>Tokens logged out (acknowledged) before a load starts: each must get 401 throughout.</summary>
    public async Task<List<string>> RevokedTokensAsync(int count)
    {
        var tokens = Enumerable.Range(0, count).Select(_ => Mint()).ToList();
        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.NoContent, await LogoutAsync(0, token));
        }

        return tokens;
    }

    /// <summary>Checks cycling over <paramref name="live"/> fresh tokens and the revoked ones, shuffled, on every API node.</summary>
    public CheckLoad SteadyLoad(int live, List<string> revoked) => SteadyLoad(SteadyPool(live, revoked));

    /// <summary>
    /// <see cref="SteadyLoad(int, List{string})"/> started only after each of its tokens was answered
    /// once on each node (<see cref="ColdPassAsync"/>): its checks are near-cache hits from the first,
    /// so what the test does next is measured against a warm cache, not against the cold pass — which
    /// on a slow machine can last longer than the test's warm-up.
    /// </summary>
    public async Task<CheckLoad> WarmSteadyLoadAsync(int live, List<string> revoked)
    {
        var pool = SteadyPool(live, revoked);
        var cold = await ColdPassAsync(pool);
        Assert.True(cold.Failed == 0, $"{cold.Failed} of {cold.Count} checks of the cold pass did not get their expected status.");
        return SteadyLoad(pool);
    }

    /// <summary>Each token of the pool once on each node, 8 at a time: what the grains serve when nothing is cached.</summary>
    public async Task<(int Count, int Failed, TimeSpan Took)> ColdPassAsync(LoadToken[] pool)
    {
        var failed = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Api.Count * pool.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
        {
            var token = pool[n / Api.Count];
            if ((int)await MeAsync(n % Api.Count, token.Token) != token.Expected)
            {
                Interlocked.Increment(ref failed);
            }
        });
        return (Api.Count * pool.Length, failed, clock.Elapsed);
    }

    private CheckLoad SteadyLoad(LoadToken[] pool) => CheckLoad.Start(ApiUris, n => pool[n % pool.Length]);

    private LoadToken[] SteadyPool(int live, List<string> revoked) =>
    [
        .. Enumerable.Range(0, live).Select(_ => new LoadToken(Mint(), 200))
            .Concat(revoked.Select(t => new LoadToken(t, 401)))
            .OrderBy(_ => Random.Shared.Next()),
    ];

    /// <summary>The silo (by index) with the most token grains active on it right now.</summary>
    public async Task<(int Silo, double[] Active)> BusiestSiloAsync(int silos)
    {
        var active = await Task.WhenAll(Enumerable.Range(0, silos).Select(i => Cluster.SiloMetricAsync(i, "revocation_token_grain_active")));
        return (Array.IndexOf(active, active.Max()), active);
    }

    /// <summary>Waits until every API node holds a near-cache lease (its gauge says so).</summary>
    public Task WaitForLeasesAsync() =>
        Eventually.HoldsAsync(TimeSpan.FromSeconds(30), async () =>
        {
            var held = await Task.WhenAll(Enumerable.Range(0, Api.Count).Select(i => Cluster.ApiMetricAsync(i, "revocation_near_cache_lease_valid")));
            return held.All(h => h == 1);
        });

    /// <summary>One scrape of every API node's /metrics, in node order.</summary>
    public async Task<MetricsScrape[]> ApiMetricsAsync() => await Task.WhenAll(Api.Select(MetricsScrape.TakeAsync));

    /// <summary>The silo (by index, of the first <paramref name="silos"/>) whose lease grain holds the API nodes' list right now.</summary>
    public async Task<int> SiloHoldingTheNodeListAsync(int silos)
    {
        var known = await Task.WhenAll(Enumerable.Range(0, silos).Select(i => Cluster.SiloMetricAsync(i, "revocation_node_leases_nodes")));
        Assert.Contains(known, k => k > 0);
        return Array.IndexOf(known, known.Max());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Api)
        {
            client.Dispose();
        }

        try
        {
            await Cluster.DisposeAsync(); // searches the logs for these tokens: before the keys go
        }
        finally
        {
            Tokens.Dispose();
        }
    }
}
