using Revocation.EndToEndTests.Processes;
using Xunit.Abstractions;

namespace Revocation.EndToEndTests.Sweeper;

[StartEarly]
public sealed class SweeperFailoverTests(ITestOutputHelper output)
{
    private const string ExpiredRows = "SELECT count(*) FROM revoked_tokens WHERE expires_at < now()";

    [Fact]
    public async Task AfterTheSiloRunningTheSweeperDies_TheReminderStillSweepsOnAnother()
    {
        // First tick 12 s after the first silo registered the reminder (the rows are in by then),
        // then every 15 s (Orleans' minimum reminder period, 1 minute, lowered for the test).
        await using var cluster = await LocalCluster.UpAsync(silos: 2, apis: 0, new Dictionary<string, string>
        {
            ["Reminders__MinimumReminderPeriod"] = "00:00:10",
            ["Sweeper__DueTime"] = "00:00:12",
            ["Sweeper__Period"] = "00:00:15",
            ["Sweeper__Grace"] = "00:00:00",
        });
        await InsertExpiredAsync(cluster, "before", 300);
        await TestPostgres.ExecuteAsync(cluster.ConnectionString, """
            INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
            SELECT 'test-issuer', 'live-' || g, now() + interval '1 hour', now() FROM generate_series(1, 50) AS g
            """);

        await WaitUntilAsync(TimeSpan.FromSeconds(40), async () => await CountAsync(cluster) == 0);
        var swept = await SweptRowsAsync(cluster);
        var owner = Array.FindIndex(swept, rows => rows > 0);
        Assert.Equal(300, swept.Sum());

        cluster.KillSilo(owner);
        var killedAt = DateTimeOffset.UtcNow;
        await InsertExpiredAsync(cluster, "after", 200);
        var survivor = 1 - owner;
        await WaitUntilAsync(TimeSpan.FromSeconds(60), async () => await CountAsync(cluster) == 0);

        var byReminder = await cluster.SiloMetricAsync(survivor, "revocation_sweeper_rows_deleted_total");
        ClusterReport.Write(output, nameof(AfterTheSiloRunningTheSweeperDies_TheReminderStillSweepsOnAnother),
            $"silo {owner} swept {swept[owner]} rows and was killed; silo {survivor} swept the next {byReminder} rows " +
            $"{(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0} s later, on the reminder (period 15 s)");
        Assert.Equal(200, byReminder);
        Assert.Equal(50, await TestPostgres.ScalarAsync<long>(cluster.ConnectionString,
            "SELECT count(*) FROM revoked_tokens WHERE jti LIKE 'live-%'")); // never an unexpired row
    }

    private static Task InsertExpiredAsync(LocalCluster cluster, string prefix, int count) =>
        TestPostgres.ExecuteAsync(cluster.ConnectionString, $"""
            INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
            SELECT 'test-issuer', '{prefix}-' || g, now() - interval '1 hour', now() - interval '2 hours' FROM generate_series(1, {count}) AS g
            """);

    private static async Task<long> CountAsync(LocalCluster cluster) =>
        await TestPostgres.ScalarAsync<long>(cluster.ConnectionString, ExpiredRows);

    private static async Task<double[]> SweptRowsAsync(LocalCluster cluster) =>
        await Task.WhenAll(Enumerable.Range(0, 2).Select(i => cluster.SiloMetricAsync(i, "revocation_sweeper_rows_deleted_total")));

    private static Task WaitUntilAsync(TimeSpan limit, Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(limit, condition, poll: TimeSpan.FromMilliseconds(500));
}
