using System.Net;
using System.Text.Json;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// <c>/oauth2/*</c> is rate-limited per authenticated client and, for everything else, per source
/// address: 429 with <c>Retry-After</c>, and no client can use up another's permits.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OAuthRateLimitTests(ApiNode api)
{
    private const int Permits = 3;

    // A window far longer than a test: no permit comes back while one runs.
    private ApiFactory LimitedNode() => new(api.Silos, api.Tokens, new Dictionary<string, string?>
    {
        ["OAuth:RateLimit:ClientPermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OAuth:RateLimit:AddressPermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OAuth:RateLimit:Window"] = "00:10:00",
    });

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, string path, string clientId = OAuthTestClients.ClientId, string secret = OAuthTestClients.ClientSecret)
    {
        // A malformed token: answered without the registry, so only the limiter decides.
        using var response = await http.SendAsync(ApiNode.ClientPost(path, ApiNode.Form(("token", "a.b.c")), clientId, secret));
        return response.StatusCode;
    }

    [Fact]
    public async Task ClientOverItsLimit_Gets429WithRetryAfter_WhileAnotherClientAndAnonymousCallersAreNotCounted()
    {
        await using var node = LimitedNode();
        using var http = node.CreateClient();
        for (var i = 0; i < Permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(http, "/oauth2/introspect"));
        }

        using var refused = await http.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", "a.b.c"))));
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(10), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("no-store", refused.Headers.CacheControl?.ToString());
        Assert.Equal("temporarily_unavailable", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(http, "/oauth2/revoke")); // one limit for the whole of /oauth2
        Assert.Equal(HttpStatusCode.OK, await SendAsync(http, "/oauth2/introspect", OAuthTestClients.OtherClientId, OAuthTestClients.OtherClientSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(http, "/oauth2/introspect", "nobody", "wrong"));

        // Counted, not logged: a flood of refusals costs no log lines.
        using var management = node.CreateManagementClient();
        var scrape = await MetricsScrape.TakeAsync(management);
        // At least: the meter listener is process-wide, so other nodes of this test process may add theirs.
        var refusals = scrape.Value("aspnetcore_rate_limiting_requests_total", ("aspnetcore_rate_limiting_result", "endpoint_limiter"));
        Assert.True(refusals >= 2, $"{refusals} refusals counted");
    }

    [Fact]
    public async Task WrongSecretsUnderAClientsId_CountAgainstTheirAddress_NotAgainstThatClient()
    {
        await using var node = LimitedNode();
        using var http = node.CreateClient();
        for (var i = 0; i < Permits; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(http, "/oauth2/revoke", secret: "a guess"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(http, "/oauth2/revoke", secret: "a guess"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(http, "/oauth2/revoke", "nobody", "wrong"));

        // The client itself, from that same address: all of its permits are still there.
        for (var i = 0; i < Permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(http, "/oauth2/revoke"));
        }
    }
}
