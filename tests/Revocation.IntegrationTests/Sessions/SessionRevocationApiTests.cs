using System.Net;
using System.Text.Json;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Sessions;

/// <summary>
/// Session revocation through the API: <c>POST /auth/logout?session=true</c> and the admin
/// endpoint refuse every token carrying the (iss, sid), and no other session of the user; bad input
/// is refused and writes nothing; a session costs one database read per activation.
/// </summary>
public sealed class SessionRevocationApiTests(ApiNode api) : IClassFixture<ApiNode>
{
    private string Mint(string sub, string? sid) =>
        api.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?> { ["sid"] = sid });

    private async Task<HttpStatusCode> MeAsync(string token)
    {
        using var me = await api.SendAsync(ApiNode.Get("/me", token));
        return me.StatusCode;
    }

    private async Task<bool> IsActiveAsync(string token)
    {
        using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean();
    }

    private Task<long> SessionRowsAsync() =>
        TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString, "SELECT count(*) FROM revoked_sessions");

    [Fact]
    public async Task LogoutSession_RefusesEveryTokenOfTheSession_AndTheUsersOtherSessionKeepsWorking()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var sid = $"sid-{Guid.NewGuid():N}";
        var first = Mint(sub, sid);
        var second = Mint(sub, sid);
        var otherSession = Mint(sub, $"sid-{Guid.NewGuid():N}");
        var noSession = Mint(sub, null);
        foreach (var token in new[] { first, second, otherSession, noSession })
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(token));
        }

        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?session=true", first));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        foreach (var token in new[] { first, second })
        {
            using var me = await api.SendAsync(ApiNode.Get("/me", token));
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
            Assert.Contains("The token has been revoked", me.Headers.WwwAuthenticate.ToString());
            Assert.False(await IsActiveAsync(token));
        }

        Assert.Equal(HttpStatusCode.OK, await MeAsync(otherSession));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(noSession));
        Assert.True(await IsActiveAsync(otherSession));
    }

    [Fact]
    public async Task LogoutSession_OfATokenWithoutSid_Is400NamingSid_AndRevokesNothing()
    {
        var token = Mint($"user-{Guid.NewGuid():N}", null);
        var rowsBefore = await SessionRowsAsync();

        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?session=true", token));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Contains("no sid claim", await logout.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, await MeAsync(token));
        Assert.Equal(rowsBefore, await SessionRowsAsync());
    }

    [Fact]
    public async Task LogoutSessionAndEverywhere_Together_Is400_AndRevokesNothing()
    {
        var token = Mint($"user-{Guid.NewGuid():N}", $"sid-{Guid.NewGuid():N}");

        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?session=true&everywhere=true", token));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(token));
    }

    [Fact]
    public async Task AdminSessionRevoke_IsShownByStatus_AndEnforced()
    {
        var sid = $"sid-{Guid.NewGuid():N}";
        var victim = Mint($"user-{Guid.NewGuid():N}", sid);
        var admin = api.AdminToken();
        Assert.Equal(HttpStatusCode.OK, await MeAsync(victim));

        using var before = await api.SendAsync(ApiNode.Get($"/admin/sessions/{sid}", admin));
        var sent = DateTimeOffset.UtcNow;
        using var revoke = await api.SendAsync(ApiNode.Post($"/admin/sessions/{sid}/revoke?iss={Uri.EscapeDataString(TestTokens.Issuer)}", admin));
        using var after = await api.SendAsync(ApiNode.Get($"/admin/sessions/{sid}", admin));

        Assert.False(JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement.GetProperty("revoked").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var status = JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement;
        Assert.True(status.GetProperty("revoked").GetBoolean());
        // Kept for SessionRevocation:Retention (1 day by default) from the revocation.
        Assert.InRange(status.GetProperty("expiresAt").GetDateTimeOffset(), sent.AddDays(1).AddSeconds(-5), DateTimeOffset.UtcNow.AddDays(1).AddSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(victim));
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString, "SELECT count(*) FROM revoked_sessions WHERE sid = $1", sid));
    }

    [Fact]
    public async Task RepeatedSessionRevocation_KeepsTheFirstEnd()
    {
        var sid = $"sid-{Guid.NewGuid():N}";
        var admin = api.AdminToken();
        using var first = await api.SendAsync(ApiNode.Post($"/admin/sessions/{sid}/revoke", admin));
        await Task.Delay(TimeSpan.FromMilliseconds(50));
        using var second = await api.SendAsync(ApiNode.Post($"/admin/sessions/{sid}/revoke", admin));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(
            JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("expiresAt").GetDateTimeOffset(),
            JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("expiresAt").GetDateTimeOffset());
    }

    public static TheoryData<string, string> BadAdminRequests => new()
    {
        { $"/admin/sessions/{new string('s', 257)}/revoke", "sid" },
        { "/admin/sessions/bad%01sid/revoke", "sid" },
        { $"/admin/sessions/sid-unknown-issuer/revoke?iss={Uri.EscapeDataString("https://unknown.example")}", "iss" },
    };

    [Theory]
    [MemberData(nameof(BadAdminRequests))]
    public async Task BadAdminSessionRevocation_Is400NamingTheField_AndWritesNothing(string path, string field)
    {
        var rowsBefore = await SessionRowsAsync();

        using var response = await api.SendAsync(ApiNode.Post(path, api.AdminToken()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(rowsBefore, await SessionRowsAsync());
    }

    [Fact]
    public async Task AdminSessionRevocation_WithAnEmptySid_IsNotFound_AndWritesNothing()
    {
        var rowsBefore = await SessionRowsAsync();

        using var response = await api.SendAsync(ApiNode.Post("/admin/sessions//revoke", api.AdminToken()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(rowsBefore, await SessionRowsAsync());
    }

    [Theory]
    [InlineData(257)]
    [InlineData(10_000)]
    public async Task TokenWithAnOversizedSid_IsRefused_AsAnInvalidSid(int length)
    {
        var token = Mint($"user-{Guid.NewGuid():N}", new string('s', length));

        using var me = await api.SendAsync(ApiNode.Get("/me", token));
        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?session=true", token));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Contains("The token's sid claim is invalid", me.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, logout.StatusCode);
    }

    [Fact]
    public async Task UnrevokedSession_CostsOneStorageReadPerActivation_AndTokensWithoutSidNone()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var withSid = await DatabaseStatements.DuringAsync(api.Silos.ConnectionString, async () =>
        {
            var sid = $"sid-{Guid.NewGuid():N}"; // a session never seen, each time the measurement runs
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await MeAsync(Mint(sub, sid)));
            }
        });
        var withoutSid = await DatabaseStatements.DuringAsync(api.Silos.ConnectionString, async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await MeAsync(Mint(sub, null)));
            }
        });

        // The tests of this class run one at a time: every read of revoked_sessions meanwhile is this session's.
        Assert.Equal(1L, SessionReads(withSid));
        Assert.Equal(0L, SessionReads(withoutSid));

        static long SessionReads(IReadOnlyList<(string Query, long Calls)> statements) =>
            statements.Where(s => s.Query.Contains("FROM revoked_sessions", StringComparison.OrdinalIgnoreCase)).Sum(s => s.Calls);
    }
}
