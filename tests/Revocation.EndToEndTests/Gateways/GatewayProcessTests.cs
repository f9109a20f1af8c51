using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Gateways;

/// <summary>
/// The registry at the gateway, with real nginx (<c>auth_request</c>) and Caddy (<c>forward_auth</c>)
/// in front of a Python backend that checks nothing itself, each gateway asking its own API node
/// (<see cref="GatewayCluster"/>): a logout through the registry is refused through both gateways on
/// the very next request, a paused node behind a gateway obeys its lease, and a registry that cannot
/// answer is a 503 at both gateways.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class GatewayProcessTests(GatewayCluster cluster, ITestOutputHelper output) : IClassFixture<GatewayCluster>
{
    private const string Revoked = "Bearer error=\"invalid_token\", error_description=\"The token has been revoked\"";

    private ClusterNodes Nodes => cluster.Nodes;

    private HttpClient Nginx => cluster.Gateways.Nginx;

    private HttpClient Caddy => cluster.Gateways.Caddy;

    [Fact]
    public async Task Token_AcceptedThroughBothGateways_LoggedOutThroughOnePair_RefusedThroughBothOnTheNextRequest()
    {
        var id = Guid.NewGuid().ToString("N");
        var token = Nodes.Tokens.Mint(jti: id, sub: $"user-{id}", scope: "orders:read",
            overrides: new Dictionary<string, object?> { ["client_id"] = "gateway-test" });
        var bare = Nodes.Tokens.Mint(sub: $"bare-{id}");

        foreach (var (name, gateway) in Pairs)
        {
            var accepted = await SendAsync(gateway, HttpMethod.Post, "/orders/42?page=2", token);
            Assert.True(accepted.Status == HttpStatusCode.OK, $"{name}: {accepted}");
            Assert.Equal("POST", accepted.Method);
            Assert.Equal("/orders/42", accepted.Path);
            Assert.Equal([$"user-{id}"], accepted.Identity["x-auth-subject"]);
            Assert.Equal([id], accepted.Identity["x-auth-jti"]);
            Assert.Equal(["orders:read"], accepted.Identity["x-auth-scope"]);
            Assert.Equal(["gateway-test"], accepted.Identity["x-auth-client-id"]);

            // A token without scope or client: those headers are absent, and what the client forged is gone.
            var noClaims = await SendAsync(gateway, HttpMethod.Get, "/orders", bare);
            Assert.True(noClaims.Status == HttpStatusCode.OK, $"{name}: {noClaims}");
            Assert.True(noClaims.Identity.Keys.Order(StringComparer.Ordinal).SequenceEqual(["x-auth-jti", "x-auth-subject"]), $"{name}: {noClaims}");
            Assert.Equal([$"bare-{id}"], noClaims.Identity["x-auth-subject"]);

            var anonymous = await SendAsync(gateway, HttpMethod.Get, "/orders", token: null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
            Assert.Equal("Bearer", anonymous.Challenge);
        }

        var logout = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, await Nodes.LogoutAsync(0, token));
        var loggedOutIn = logout.Elapsed;
        var throughCaddy = await SendAsync(Caddy, HttpMethod.Get, "/orders", token);
        var throughNginx = await SendAsync(Nginx, HttpMethod.Get, "/orders", token);

        // The other way round: warm on both, logged out on node 1 (Caddy's), refused at nginx (node 0's).
        var second = Nodes.Mint();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Nginx, HttpMethod.Get, "/", second)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Caddy, HttpMethod.Get, "/", second)).Status);
        Assert.Equal(HttpStatusCode.NoContent, await Nodes.LogoutAsync(1, second));
        var secondThroughNginx = await SendAsync(Nginx, HttpMethod.Get, "/", second);

        var latency = await MedianLatenciesAsync(Nodes.Mint());
        ClusterReport.Write(output, nameof(Token_AcceptedThroughBothGateways_LoggedOutThroughOnePair_RefusedThroughBothOnTheNextRequest),
            $"logout through node 0 took {loggedOutIn.TotalMilliseconds:F0} ms; next request: Caddy→node 1 {(int)throughCaddy.Status}, nginx→node 0 {(int)throughNginx.Status}; " +
            $"logout through node 1, next request nginx→node 0 {(int)secondThroughNginx.Status}; median of 100 accepted requests (warm near cache): {latency}; {cluster.StartedIn}");

        foreach (var refused in new[] { throughCaddy, throughNginx, secondThroughNginx })
        {
            Assert.True(refused.Status == HttpStatusCode.Unauthorized, refused.ToString());
            Assert.Equal(Revoked, refused.Challenge);
            Assert.Null(refused.Path); // the backend never saw it
        }
    }

    [Fact]
    public async Task PausedNodeBehindNginx_TheLogoutWaitsOnlyForItsLease_AndARequestQueuedMeanwhileIsRefused()
    {
        var token = Nodes.Mint();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Nginx, HttpMethod.Get, "/", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Nginx, HttpMethod.Get, "/", token)).Status);

        Nodes.Cluster.Signal("api", 0, "STOP");
        var paused = Stopwatch.StartNew();
        Task<GatewayAnswer> queued;
        HttpStatusCode logout;
        TimeSpan logoutTook;
        try
        {
            // Reaches node 0 through nginx while it is stopped: answered only after it resumes.
            queued = SendAsync(Nginx, HttpMethod.Get, "/queued", token);
            logout = await Nodes.LogoutAsync(1, token);
            logoutTook = paused.Elapsed;
            var pastTheLease = GatewayCluster.Lease + TimeSpan.FromSeconds(0.5) - paused.Elapsed;
            if (pastTheLease > TimeSpan.Zero)
            {
                await Task.Delay(pastTheLease);
            }
        }
        finally
        {
            Nodes.Cluster.Signal("api", 0, "CONT");
        }

        var pausedFor = paused.Elapsed;
        var queuedAnswer = await queued;
        var next = await SendAsync(Nginx, HttpMethod.Get, "/", token);
        ClusterReport.Write(output, nameof(PausedNodeBehindNginx_TheLogoutWaitsOnlyForItsLease_AndARequestQueuedMeanwhileIsRefused),
            $"node 0 (behind nginx) paused {pausedFor.TotalSeconds:F2} s, lease {GatewayCluster.Lease.TotalSeconds:F0} s: logout through node 1 {(int)logout} after {logoutTook.TotalSeconds:F2} s; " +
            $"request queued at nginx during the pause: {(int)queuedAnswer.Status}; next request: {(int)next.Status}");

        Assert.Equal(HttpStatusCode.NoContent, logout);
        Assert.True(logoutTook <= GatewayCluster.Lease + TimeSpan.FromSeconds(1.5), $"the logout took {logoutTook} with node 0 paused");
        Assert.True(queuedAnswer.Status == HttpStatusCode.Unauthorized, $"{queuedAnswer}; the silos' logs: {Nodes.Cluster.MembershipEvents()}");
        Assert.Equal(Revoked, queuedAnswer.Challenge);
        Assert.True(next.Status == HttpStatusCode.Unauthorized, next.ToString());
    }

    [Fact]
    public async Task RegistryUnavailable_BothGatewaysAnswer503_NotNginxs500_AndRecover()
    {
        // Tokens the nodes never saw: each check needs the registry.
        var (forNginx, forCaddy) = (Nodes.Mint(), Nodes.Mint());
        var clock = Stopwatch.StartNew();
        Nodes.Cluster.Signal("silo", 0, "STOP");
        Nodes.Cluster.Signal("silo", 1, "STOP");
        GatewayAnswer nginx, caddy;
        try
        {
            var (toNginx, toCaddy) = (SendAsync(Nginx, HttpMethod.Get, "/", forNginx), SendAsync(Caddy, HttpMethod.Get, "/", forCaddy));
            (nginx, caddy) = (await toNginx, await toCaddy);
        }
        finally
        {
            Nodes.Cluster.Signal("silo", 0, "CONT");
            Nodes.Cluster.Signal("silo", 1, "CONT");
        }

        var answeredIn = clock.Elapsed;
        var recovered = Stopwatch.StartNew();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), async () =>
            (await SendAsync(Nginx, HttpMethod.Get, "/", Nodes.Mint())).Status == HttpStatusCode.OK
            && (await SendAsync(Caddy, HttpMethod.Get, "/", Nodes.Mint())).Status == HttpStatusCode.OK);
        ClusterReport.Write(output, nameof(RegistryUnavailable_BothGatewaysAnswer503_NotNginxs500_AndRecover),
            $"silos paused: nginx {(int)nginx.Status} (Retry-After {nginx.RetryAfter}), Caddy {(int)caddy.Status} (Retry-After {caddy.RetryAfter}), both within {answeredIn.TotalSeconds:F1} s; 200 again through both {recovered.Elapsed.TotalSeconds:F1} s after SIGCONT");

        Assert.True(nginx.Status == HttpStatusCode.ServiceUnavailable, nginx.ToString());
        Assert.True(caddy.Status == HttpStatusCode.ServiceUnavailable, caddy.ToString());
        Assert.Equal("1", nginx.RetryAfter);
        Assert.Equal("1", caddy.RetryAfter);
        Assert.Null(nginx.Path);
        Assert.Null(caddy.Path);
    }

    private IEnumerable<(string Name, HttpClient Gateway)> Pairs => [("nginx→node 0", Nginx), ("Caddy→node 1", Caddy)];

    /// <summary>
    /// Median time of 100 sequential accepted requests through each gateway, and of its two legs alone:
    /// the backend without a gateway, and the API node's <c>/auth/forward</c>.
    /// </summary>
    private async Task<string> MedianLatenciesAsync(string token)
    {
        (string Name, HttpClient Client, string Path)[] targets =
        [
            ("nginx→node 0+backend", Nginx, "/"),
            ("Caddy→node 1+backend", Caddy, "/"),
            ("backend alone", cluster.Gateways.Backend, "/"),
            ("node 0 /auth/forward alone", Nodes.Api[0], "/auth/forward"),
        ];
        var parts = new List<string>();
        foreach (var (name, client, path) in targets)
        {
            var times = new List<double>();
            for (var i = 0; i < 100; i++)
            {
                var clock = Stopwatch.StartNew();
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, path, token)).Status);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            parts.Add($"{name} {times[50]:F2} ms");
        }

        return string.Join(", ", parts);
    }

    private static async Task<GatewayAnswer> SendAsync(HttpClient gateway, HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        // What a client might try: identity headers of its own choosing. The backend must never see them.
        request.Headers.TryAddWithoutValidation("X-Auth-Subject", "mallory");
        request.Headers.TryAddWithoutValidation("X-Auth-Scope", "admin");
        request.Headers.TryAddWithoutValidation("X-Auth-Client-Id", "forged");
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{\"item\":1}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await gateway.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var challenge = response.Headers.WwwAuthenticate.ToString();
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return new GatewayAnswer(response.StatusCode, challenge, retryAfter, null, null, new Dictionary<string, string[]>(), body);
        }

        using var echo = JsonDocument.Parse(body);
        var identity = echo.RootElement.GetProperty("identity").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
        return new GatewayAnswer(response.StatusCode, challenge, retryAfter,
            echo.RootElement.GetProperty("method").GetString(), echo.RootElement.GetProperty("path").GetString(), identity, body);
    }
}
