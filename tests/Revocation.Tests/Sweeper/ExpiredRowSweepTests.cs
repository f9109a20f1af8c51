using Npgsql;
using Revocation.Grains;
using Revocation.Silo.Storage;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Sweeper;

/// <summary>The sweep against real PostgreSQL: bounded batches, exact counts, never an unexpired row.</summary>
[Trait("Category", "Integration")]
public sealed class ExpiredRowSweepTests
{
    private static readonly SweeperOptions Defaults = new() { Grace = TimeSpan.Zero };

    private static async Task SeedAsync(NpgsqlDataSource db, string prefix, int count, string expiresAt) =>
        await TestPostgres.ExecuteAsync(db.ConnectionString, $"""
            INSERT INTO revoked_tokens (jti, expires_at, revoked_at)
            SELECT '{prefix}-' || g, {expiresAt}, now() - interval '2 hours' FROM generate_series(1, {count}) AS g
            """);

    private static Task<long> CountAsync(NpgsqlDataSource db, string prefix) =>
        TestPostgres.ScalarAsync<long>(db.ConnectionString, $"SELECT count(*) FROM revoked_tokens WHERE jti LIKE '{prefix}-%'");

    /// <summary>Logs the rows each DELETE statement touched, at the database.</summary>
    private static Task LogDeleteStatementsAsync(NpgsqlDataSource db) => TestPostgres.ExecuteAsync(db.ConnectionString, """
        CREATE TABLE test_delete_log (id serial, rows bigint NOT NULL);
        CREATE FUNCTION test_log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO test_delete_log (rows) SELECT count(*) FROM deleted;
            RETURN NULL;
        END $$;
        CREATE TRIGGER test_log_delete AFTER DELETE ON revoked_tokens
            REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION test_log_delete();
        """);

    private static ExpiredRowSweep Sweep(NpgsqlDataSource db) => new(new PostgresExpiredRowStore(db), TimeProvider.System);

    [Fact]
    public async Task Sweep_DeletesEveryExpiredRow_KeepsEveryLiveOne_InBoundedStatements()
    {
        await using var db = await Databases.MigratedAsync("sweep_all");
        await SeedAsync(db, "expired", 20_000, "now() - interval '1 hour' - g * interval '1 second'");
        await SeedAsync(db, "live", 500, "now() + interval '1 hour' + g * interval '1 second'");
        await LogDeleteStatementsAsync(db);
        var batches = new List<int>();

        var report = await Sweep(db).RunAsync(Defaults, batches.Add, CancellationToken.None);

        Assert.Null(report.Error);
        Assert.True(report.Drained);
        Assert.Equal(20_000, report.RowsDeleted);
        Assert.Equal(5, report.Batches); // four full batches of 5 000, then a short (empty) one
        Assert.Equal(0, await CountAsync(db, "expired"));
        Assert.Equal(500, await CountAsync(db, "live"));
        Assert.Equal(5L, await TestPostgres.ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM test_delete_log"));
        Assert.Equal(5_000L, await TestPostgres.ScalarAsync<long>(db.ConnectionString, "SELECT max(rows) FROM test_delete_log"));
        Assert.Equal([5_000, 5_000, 5_000, 5_000, 0], batches);
    }

    [Fact]
    public async Task Sweep_KeepsRowsWithinTheGracePeriod()
    {
        await using var db = await Databases.MigratedAsync("sweep_grace");
        await SeedAsync(db, "old", 10, "now() - interval '10 minutes'");
        await SeedAsync(db, "recent", 10, "now() - interval '1 minute'"); // expired, but an API node may still accept it within its clock skew

        var report = await Sweep(db).RunAsync(new SweeperOptions { Grace = TimeSpan.FromMinutes(5) }, _ => { }, CancellationToken.None);

        Assert.Equal(10, report.RowsDeleted);
        Assert.Equal(0, await CountAsync(db, "old"));
        Assert.Equal(10, await CountAsync(db, "recent"));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_BothSucceed_AndTogetherDeleteEachRowOnce()
    {
        await using var db = await Databases.MigratedAsync("sweep_race");
        await SeedAsync(db, "expired", 12_000, "now() - interval '1 hour'");
        await SeedAsync(db, "live", 100, "now() + interval '1 hour'");
        await using var otherDb = RegistryDataSourceFactory.Create(Databases.Options(db.ConnectionString));
        var options = new SweeperOptions { Grace = TimeSpan.Zero, BatchSize = 500 };

        var reports = await Task.WhenAll(
            Task.Run(() => Sweep(db).RunAsync(options, _ => { }, CancellationToken.None)),
            Task.Run(() => Sweep(otherDb).RunAsync(options, _ => { }, CancellationToken.None)));

        Assert.All(reports, r => Assert.Null(r.Error));
        Assert.Equal(12_000, reports.Sum(r => r.RowsDeleted));
        Assert.Equal(0, await CountAsync(db, "expired"));
        Assert.Equal(100, await CountAsync(db, "live"));
    }

    [Fact]
    public async Task FailingDatabase_FailsOneSweep_AndTheNextSucceeds()
    {
        await using var db = await Databases.MigratedAsync("sweep_fail");
        await SeedAsync(db, "expired", 300, "now() - interval '1 hour'");
        await TestPostgres.ExecuteAsync(db.ConnectionString, """
            CREATE TABLE test_fail_sweep (on_ boolean);
            INSERT INTO test_fail_sweep VALUES (true);
            CREATE FUNCTION test_fail_delete() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM test_fail_sweep) THEN RAISE EXCEPTION 'injected sweep failure'; END IF;
                RETURN OLD;
            END $$;
            CREATE TRIGGER test_fail_delete BEFORE DELETE ON revoked_tokens FOR EACH ROW EXECUTE FUNCTION test_fail_delete();
            """);

        var failed = await Sweep(db).RunAsync(Defaults, _ => { }, CancellationToken.None);
        await TestPostgres.ExecuteAsync(db.ConnectionString, "DELETE FROM test_fail_sweep");
        var next = await Sweep(db).RunAsync(Defaults, _ => { }, CancellationToken.None);

        Assert.Contains("injected sweep failure", failed.Error);
        Assert.Equal(0, failed.RowsDeleted);
        Assert.False(failed.Drained);
        Assert.Null(next.Error);
        Assert.Equal(300, next.RowsDeleted);
    }

    [Fact]
    public async Task Sweep_StopsWhenTheTimeBudgetIsSpent()
    {
        await using var db = await Databases.MigratedAsync("sweep_budget");
        await SeedAsync(db, "expired", 1_000, "now() - interval '1 hour'");

        var report = await Sweep(db).RunAsync(
            new SweeperOptions { Grace = TimeSpan.Zero, BatchSize = 10, TimeBudget = TimeSpan.FromTicks(1) }, _ => { }, CancellationToken.None);

        Assert.Equal(1, report.Batches);
        Assert.Equal(10, report.RowsDeleted);
        Assert.False(report.Drained);
        Assert.Equal(990, await CountAsync(db, "expired"));
    }

    [Fact]
    public async Task Sweep_BatchThatHangs_IsCancelledAtTheBatchTimeout_AndReported()
    {
        await using var db = await Databases.MigratedAsync("sweep_hung");
        await using var held = await HeldSweep.StartAsync(db.ConnectionString);
        var options = new SweeperOptions { Grace = TimeSpan.Zero, BatchTimeout = TimeSpan.FromSeconds(1) };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = await Sweep(db).RunAsync(options, _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the sweep ended after {clock.Elapsed}");
        Assert.Contains("Sweeper:BatchTimeout", report.Error);
        Assert.False(report.Drained);
        Assert.Equal(0, report.RowsDeleted);
        Assert.Equal(1, await CountAsync(db, HeldSweep.Prefix.TrimEnd('-'))); // the cancelled batch deleted nothing
    }
}
