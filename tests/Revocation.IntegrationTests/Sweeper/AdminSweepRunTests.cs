using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>
/// <c>POST /admin/sweeper/run</c> waits as long as <c>Registry:SweepTimeout</c> says, not as long as
/// the Orleans client's response timeout. That timeout is 30 s by default, as is a sweep's budget;
/// here the client's is shortened to 2 s, so a sweep held for longer shows the same cut-off without
/// a 30-second test.
/// </summary>
public sealed class AdminSweepRunTests : IAsyncLifetime
{
    private static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(2);

    private readonly TestTokens _tokens = new();
    private TestSilos _silos = null!;
    private ApiFactory _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _silos = await TestSilos.StartAsync(1, "adminsweep");
        _api = new ApiFactory(
            _silos,
            _tokens,
            new Dictionary<string, string?> { ["Registry:SweepTimeout"] = "00:00:30" },
            services: services => services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ClientResponseTimeout));
        _http = _api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
        await _silos.DisposeAsync();
        _tokens.Dispose();
    }

    [Fact]
    public async Task AdminRun_LongerThanTheClientsResponseTimeout_AnswersWithTheRun()
    {
        (await _http.SendAsync(ApiNode.Get("/health/ready"))).Dispose(); // the client is connected before the clock starts
        await using var held = await HeldSweep.StartAsync(_silos.ConnectionString);
        var clock = Stopwatch.StartNew();
        var response = _http.SendAsync(ApiNode.Post("/admin/sweeper/run", _tokens.Mint(scope: "admin")));
        await held.WaitUntilASweepWaitsAsync();
        await Task.Delay(ClientResponseTimeout + TimeSpan.FromSeconds(1) - clock.Elapsed is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
        await held.ReleaseAsync();

        using var answer = await response.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed > ClientResponseTimeout, $"the run took {clock.Elapsed}, not longer than the client's response timeout");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var report = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.True(report.RootElement.GetProperty("rowsDeleted").GetInt64() >= 1);
    }
}
