using System.Net;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// The benchmark's floor endpoint (JWT validation only): in Development with its setting on, a revoked
/// token passes there and nowhere else; without the setting it does not exist; outside Development the
/// node refuses to start, naming the setting.
/// </summary>
public sealed class CheckFloorEndpointTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private TestSilos _silos = null!;

    public async Task InitializeAsync() => _silos = await TestSilos.StartAsync(1, "check-floor");

    public async Task DisposeAsync()
    {
        await _silos.DisposeAsync();
        _tokens.Dispose();
    }

    [Fact]
    public async Task InDevelopmentWithTheSetting_ARevokedTokenPassesTheFloorOnly_AndEveryOtherPathStillChecks()
    {
        await using var api = new ApiFactory(_silos, _tokens, new Dictionary<string, string?> { ["Benchmarks:CheckFloorEndpoint"] = "true" }, environment: "Development");
        using var http = api.CreateClient();
        var token = _tokens.Mint();
        using (var logout = await http.SendAsync(ApiNode.Post("/auth/logout", token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var floor = await http.SendAsync(ApiNode.Get("/bench/jwt-only", token));
        using var me = await http.SendAsync(ApiNode.Get("/me", token));
        using var unsigned = await http.SendAsync(ApiNode.Get("/bench/jwt-only", token[..^4] + "AAAA"));

        Assert.Equal(HttpStatusCode.OK, floor.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode); // validation still runs there
    }

    [Fact]
    public async Task WithoutTheSetting_TheFloorDoesNotExist()
    {
        await using var api = new ApiFactory(_silos, _tokens, environment: "Development");
        using var http = api.CreateClient();

        using var floor = await http.SendAsync(ApiNode.Get("/bench/jwt-only", _tokens.Mint()));

        Assert.Equal(HttpStatusCode.NotFound, floor.StatusCode);
    }

    [Fact]
    public void OutsideDevelopment_TheSettingStopsTheStart_NamingIt()
    {
        using var api = new ApiFactory(_silos, _tokens, new Dictionary<string, string?> { ["Benchmarks:CheckFloorEndpoint"] = "true" });

        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Benchmarks:CheckFloorEndpoint=true", error.ToString());
        Assert.Contains("refused outside Development", error.ToString());
    }
}
