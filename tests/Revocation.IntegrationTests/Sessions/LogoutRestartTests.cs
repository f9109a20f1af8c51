using System.Net;

namespace Revocation.IntegrationTests.Sessions;

/// <summary>
/// "Log out everywhere" and a session's logout outlive the whole cluster: new silos on the same
/// database still refuse what they cover, and only that.
/// </summary>
public sealed class LogoutRestartTests
{
    [Theory]
    [InlineData("/auth/logout?everywhere=true", false)]
    [InlineData("/auth/logout?session=true", true)]
    public async Task Logout_SurvivesAFullSiloRestart_AndRefusesOnlyWhatItCovers(string path, bool bySession)
    {
        using var tokens = new TestTokens();
        var sub = $"user-{Guid.NewGuid():N}";
        var revoked = bySession ? tokens.Mint(sub: sub, overrides: Session("session-revoked")) : tokens.Mint(sub: sub);
        var kept = bySession ? tokens.Mint(sub: sub, overrides: Session("session-kept")) : tokens.Mint(sub: $"other-{Guid.NewGuid():N}");
        string connectionString;
        await using (var silos = await TestSilos.StartAsync(1, "logout_restart"))
        {
            connectionString = silos.ConnectionString;
            await using var api = new ApiFactory(silos, tokens);
            using var http = api.CreateClient();
            using var logout = await http.SendAsync(ApiNode.Post(path, revoked));
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await using var restarted = await TestSilos.StartOnAsync(1, connectionString);
        await using var restartedApi = new ApiFactory(restarted, tokens);
        using var client = restartedApi.CreateClient();

        using var refused = await client.SendAsync(ApiNode.Get("/me", revoked));
        using var accepted = await client.SendAsync(ApiNode.Get("/me", kept));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static Dictionary<string, object?> Session(string sid) => new() { ["sid"] = sid };
}
