using System.Net.Http.Json;
using System.Net;
using System.Text.Json;

namespace Revocation.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class AdminTests(ApiNode api)
{
    public static TheoryData<string, string> AdminEndpoints => new()
    {
        { "GET", "/admin/tokens/some-jti" },
        { "POST", "/admin/tokens/some-jti/revoke" },
        { "POST", "/admin/tokens/some-jti/evict" },
        { "GET", "/admin/subjects/some-sub" },
        { "POST", "/admin/subjects/some-sub/revoke" },
        { "GET", "/admin/sweeper" },
        { "POST", "/admin/sweeper/run" },
    };

    private static HttpRequestMessage Request(string method, string path, string? token)
    {
        var request = method == "GET" ? ApiNode.Get(path, token) : ApiNode.Post(path, token);
        if (path.EndsWith("/revoke", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { expiresAt = DateTimeOffset.UtcNow.AddHours(1), reason = "admin test" });
        }

        return request;
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminEndpoint_WithoutToken_Is401(string method, string path)
    {
        using var response = await api.SendAsync(Request(method, path, null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminEndpoint_WithNonAdminToken_Is403AndChangesNothing(string method, string path)
    {
        var before = await api.Silos.RowCountAsync();

        using var response = await api.SendAsync(Request(method, path, api.Tokens.Mint(scope: "read write administrator")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await api.Silos.RowCountAsync());
    }

    [Fact]
    public async Task AdminRevoke_ThenStatus_ShowsTheRevocation()
    {
        var victim = api.Tokens.Mint();
        var jti = TestTokens.JtiOf(victim);
        var admin = api.AdminToken();
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);

        using var revoke = await api.SendAsync(WithJson(ApiNode.Post($"/admin/tokens/{jti}/revoke", admin), new { expiresAt, reason = "compromised" }));
        using var status = await api.SendAsync(ApiNode.Get($"/admin/tokens/{jti}", admin));
        using var body = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        using var me = await api.SendAsync(ApiNode.Get("/me", victim));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.True(body.RootElement.GetProperty("revoked").GetBoolean());
        Assert.Equal("compromised", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task AdminEvict_ForcesAReloadThatStillSeesTheRevocation()
    {
        var victim = api.Tokens.Mint();
        var admin = api.AdminToken();
        (await api.SendAsync(ApiNode.Post("/auth/logout", victim))).Dispose();

        using var evict = await api.SendAsync(ApiNode.Post($"/admin/tokens/{TestTokens.JtiOf(victim)}/evict", admin));
        using var me = await api.SendAsync(ApiNode.Get("/me", victim));

        Assert.Equal(HttpStatusCode.NoContent, evict.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task AdminStatus_OfUnknownJti_IsNotRevoked()
    {
        using var status = await api.SendAsync(ApiNode.Get($"/admin/tokens/{Guid.NewGuid():N}", api.AdminToken()));

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("""{"revoked":false}""", await status.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SweeperRun_DeletesExpiredRows_AndIsThenTheLastRun()
    {
        await TestPostgres.ExecuteAsync(api.Silos.ConnectionString,
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) SELECT 'test-issuer', 'admin-sweep-' || g, now() - interval '1 hour', now() - interval '2 hours' FROM generate_series(1, 7) g");
        var admin = api.AdminToken();

        using var run = await api.SendAsync(ApiNode.Post("/admin/sweeper/run", admin));
        using var ran = JsonDocument.Parse(await run.Content.ReadAsStringAsync());
        using var last = await api.SendAsync(ApiNode.Get("/admin/sweeper", admin));

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.True(ran.RootElement.GetProperty("rowsDeleted").GetInt64() >= 7);
        Assert.True(ran.RootElement.GetProperty("drained").GetBoolean());
        Assert.Equal(ran.RootElement.GetProperty("startedAt").GetString(),
            JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement.GetProperty("startedAt").GetString());
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString, "SELECT count(*) FROM revoked_tokens WHERE jti LIKE 'admin-sweep-%'"));
    }

    private static HttpRequestMessage WithJson(HttpRequestMessage request, object body)
    {
        request.Content = JsonContent.Create(body);
        return request;
    }
}
