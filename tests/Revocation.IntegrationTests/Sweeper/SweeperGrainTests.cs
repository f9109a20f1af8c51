using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>
/// A cluster whose database already holds expired rows when the silo starts, with the sweep
/// reminder due two seconds later. Nothing in this fixture calls the sweeper directly.
/// </summary>
public sealed class SweeperCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["Sweeper:DueTime"] = "00:00:02",
    ["Sweeper:Grace"] = "00:00:00",
})
{
    protected override async Task BeforeStartAsync()
    {
        var options = Databases.Options(ConnectionString);
        await using var dataSource = RegistryDataSourceFactory.Create(options);
        await Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None);
        await TestPostgres.ExecuteAsync(ConnectionString,
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) SELECT 'test-issuer', 'expired-' || g, now() - interval '1 day', now() - interval '2 days' FROM generate_series(1, 50) g");
        await TestPostgres.ExecuteAsync(ConnectionString,
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) SELECT 'test-issuer', 'live-' || g, now() + interval '1 day', now() FROM generate_series(1, 5) g");
    }
}

public sealed class SweeperReminderTests(SweeperCluster registry) : IClassFixture<SweeperCluster>
{
    [Fact]
    public async Task Reminder_RegisteredAtSiloStart_SweepsWithoutAnyoneCallingIt()
    {
        var sweeper = registry.Client.GetGrain<ISweeperGrain>(ISweeperGrain.Key);

        SweepReport? lastRun = null;
        for (var i = 0; i < 150 && lastRun is null; i++)
        {
            await Task.Delay(100);
            lastRun = await sweeper.GetLastRunAsync();
        }

        Assert.NotNull(lastRun);
        Assert.Null(lastRun.Error);
        Assert.Equal(50, lastRun.RowsDeleted);
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(registry.ConnectionString, "SELECT count(*) FROM revoked_tokens WHERE jti LIKE 'expired-%'"));
        Assert.Equal(5L, await TestPostgres.ScalarAsync<long>(registry.ConnectionString, "SELECT count(*) FROM revoked_tokens WHERE jti LIKE 'live-%'"));
    }
}

[Collection(TwoSiloCollection.Name)]
public sealed class SweeperGrainTests(TwoSiloCluster registry)
{
    [Fact]
    public async Task Run_OnDemand_ReportsWhatItDeleted_AndLiveRevocationsStillHold()
    {
        var live = RegistryCluster.NewJti();
        await registry.Client.GetTokenGrain(TestTokens.Issuer, live).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null);
        await TestPostgres.ExecuteAsync(registry.ConnectionString,
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) SELECT 'test-issuer', 'ondemand-' || g, now() - interval '1 hour', now() - interval '2 hours' FROM generate_series(1, 120) g");
        var sweeper = registry.SiloGrains(1).GetGrain<ISweeperGrain>(ISweeperGrain.Key);

        var report = await sweeper.RunAsync();

        Assert.Null(report.Error);
        Assert.True(report.Drained);
        Assert.Equal(120, report.RowsDeleted);
        Assert.Equal(report, await registry.Client.GetGrain<ISweeperGrain>(ISweeperGrain.Key).GetLastRunAsync());
        Assert.True(await registry.Client.GetTokenGrain(TestTokens.Issuer, live).IsRevokedAsync());
        Assert.Equal(1, await registry.RowCountAsync(live));
    }
}
