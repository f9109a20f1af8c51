using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>What the sweeper grain answers while one of its sweeps is stuck in the database.</summary>
public sealed class SweepInProgressTests(LoneSweeperCluster registry) : IClassFixture<LoneSweeperCluster>
{
    private ISweeperGrain Sweeper => registry.Client.GetGrain<ISweeperGrain>(ISweeperGrain.Key);

    [Fact]
    public async Task SiloStart_DuringAHeldSweep_IsNotBlocked()
    {
        await using var held = await HeldSweep.StartAsync(registry.ConnectionString);
        var run = Sweeper.RunAsync();
        await held.WaitUntilASweepWaitsAsync();

        // A starting silo schedules the sweeper and waits for the answer. Queued behind the held
        // sweep, that call would end only with the sweep (or Orleans' 30 s response timeout,
        // which fails the start).
        await registry.Cluster.StartAdditionalSiloAsync().WaitAsync(TimeSpan.FromSeconds(20));
        // As a silo calls it (the schedule is silo-internal: clients are refused).
        await registry.SiloGrains(0).GetGrain<Revocation.Grains.ISweeperSchedule>(ISweeperGrain.Key).EnsureScheduledAsync().WaitAsync(TimeSpan.FromSeconds(2));

        Assert.False(run.IsCompleted, "the sweep was meant to be held throughout");
        await held.ReleaseAsync();
        var report = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Null(report.Error);
        Assert.True(report.RowsDeleted >= 1);
    }

    [Fact]
    public async Task Run_DuringASweep_JoinsItInsteadOfSweepingAgainAfterIt()
    {
        await using var held = await HeldSweep.StartAsync(registry.ConnectionString);
        var first = Sweeper.RunAsync();
        await held.WaitUntilASweepWaitsAsync();

        var second = Sweeper.RunAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // let the second call reach the grain
        await held.ReleaseAsync();

        var reports = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(reports[0], reports[1]); // one sweep, one report
        Assert.Equal(reports[0], await Sweeper.GetLastRunAsync());
    }
}
