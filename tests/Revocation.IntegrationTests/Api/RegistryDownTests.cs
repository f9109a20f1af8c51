using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// The registry becomes unreachable under two API nodes: one failing closed (the default), one
/// failing open. The silo is stopped once, so the cases run in order inside one test.
/// </summary>
[Collection(WallClockBoundsCollection.Name)]
public sealed class RegistryDownTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private TestSilos _silos = null!;
    private ApiFactory _closed = null!;
    private ApiFactory _open = null!;

    public async Task InitializeAsync()
    {
        _silos = await TestSilos.StartAsync(1, "down");
        await _silos.PassLeaseStartAsync();
        _closed = new ApiFactory(_silos, _tokens, new Dictionary<string, string?>
        {
            ["Registry:CallTimeout"] = "00:00:02",
            ["RevocationCheck:Timeout"] = "00:00:02",
        });
        _open = new ApiFactory(_silos, _tokens, new Dictionary<string, string?>
        {
            ["Registry:CallTimeout"] = "00:00:02",
            ["RevocationCheck:Timeout"] = "00:00:02",
            ["RevocationCheck:FailurePolicy"] = "FailOpen",
        });
    }

    public async Task DisposeAsync()
    {
        await _closed.DisposeAsync();
        await _open.DisposeAsync();
        await _silos.DisposeAsync();
        _tokens.Dispose();
    }

    [Fact]
    public async Task RegistryDown_FailClosedAnswers503WithinTheTimeout_FailOpenAccepts_ForwardAuthToo()
    {
        using var closed = _closed.CreateClient();
        using var open = _open.CreateClient();
        var token = _tokens.Mint();
        var revoked = _tokens.Mint();
        Assert.Equal(HttpStatusCode.OK, (await closed.SendAsync(ApiNode.Get("/me", token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await open.SendAsync(ApiNode.Get("/me", token))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await closed.SendAsync(ApiNode.Post("/auth/logout", revoked))).StatusCode);

        await _silos.StopAllAsync();

        var clock = Stopwatch.StartNew();
        using var closedMe = await closed.SendAsync(ApiNode.Get("/me", _tokens.Mint()));
        var closedElapsed = clock.Elapsed;
        using var problem = JsonDocument.Parse(await closedMe.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, closedMe.StatusCode);
        Assert.Equal("application/problem+json", closedMe.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(closedElapsed < TimeSpan.FromSeconds(5), $"took {closedElapsed}; the check timeout is 2 s");

        using var openMe = await open.SendAsync(ApiNode.Get("/me", _tokens.Mint()));
        Assert.Equal(HttpStatusCode.OK, openMe.StatusCode);

        // What a gateway is told (the forward-auth endpoint): the same 503, or the same acceptance.
        using var closedForward = await closed.SendAsync(ApiNode.Get("/auth/forward/orders", _tokens.Mint()));
        using var openForward = await open.SendAsync(ApiNode.Get("/auth/forward/orders", _tokens.Mint(sub: "frank")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, closedForward.StatusCode);
        Assert.Equal("1", closedForward.Headers.RetryAfter?.ToString());
        Assert.False(closedForward.Headers.Contains("X-Auth-Subject"));
        Assert.Equal(HttpStatusCode.OK, openForward.StatusCode);
        Assert.Equal(["frank"], openForward.Headers.GetValues("X-Auth-Subject"));

        // And Envoy's gRPC ext_authz: UNAVAILABLE with the same 503, or OK.
        var closedCheck = await EnvoyExtAuthz.CheckAsync(_closed, EnvoyExtAuthz.Bearer(_tokens.Mint()));
        var openCheck = await EnvoyExtAuthz.CheckAsync(_open, EnvoyExtAuthz.Bearer(_tokens.Mint(sub: "grace")));
        Assert.Equal(14, closedCheck.Status.Code);
        Assert.Equal(Revocation.Api.Gateway.ExtAuthz.HttpStatus.Types.StatusCode.ServiceUnavailable, closedCheck.DeniedResponse.Status.Code);
        Assert.Contains(closedCheck.DeniedResponse.Headers, h => h.Header.Key == "retry-after" && h.Header.Value == "1");
        Assert.Contains("Revocation registry unavailable", closedCheck.DeniedResponse.Body);
        Assert.Equal(0, openCheck.Status.Code);
        Assert.Contains(openCheck.OkResponse.Headers, h => h.Header.Key == "X-Auth-Subject" && h.Header.Value == "grace");

        using var logout = await closed.SendAsync(ApiNode.Post("/auth/logout", token));
        using var oauthRevoke = await closed.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))));
        // A token this node never saw: its near cache may still answer for `token` until its lease
        // runs out (up to 5 s after the silos stopped), which the process tests pin.
        using var introspect = await closed.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", _tokens.Mint()))));
        using var ready = await closed.GetAsync("/health/ready");
        using var live = await closed.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, logout.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, oauthRevoke.StatusCode); // RFC 7009 §2.2.1: never 200 unless durable
        Assert.Equal(HttpStatusCode.ServiceUnavailable, introspect.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // Metrics stay readable while the registry is down: the management port asks for no token.
        using var management = _closed.CreateManagementClient();
        using var metrics = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("revocation_checks_total{", text);
        Assert.Matches("revocation_checks_total\\{[^}]*outcome=\"error\"[^}]*policy=\"fail_closed\"", text);
    }
}
