using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>The sweep against real PostgreSQL: bounded batches, exact counts, never an unexpired row.</summary>
public sealed class ExpiredRowSweepTests
{
    private static readonly SweeperOptions Defaults = new() { Grace = TimeSpan.Zero };

    private static async Task SeedAsync(NpgsqlDataSource db, string prefix, int count, string expiresAt) =>
        await TestPostgres.ExecuteAsync(db.ConnectionString, $"""
            INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
            SELECT 'test-issuer', '{prefix}-' || g, {expiresAt}, now() - interval '2 hours' FROM generate_series(1, {count}) AS g
            """);

    /// <summary>One row expiring at exactly <paramref name="expiresAt"/> (whole microseconds).</summary>
    private static Task SeedAtAsync(NpgsqlDataSource db, string prefix, DateTimeOffset expiresAt) =>
        TestPostgres.ExecuteAsync(db.ConnectionString, $"""
            INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
            VALUES ('test-issuer', '{prefix}-1', '{expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00', now() - interval '2 days')
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

    [Theory]
    [InlineData(-1, false)] // a microsecond (PostgreSQL's resolution) before expires_at + grace
    [InlineData(0, false)] // exactly expires_at + grace
    [InlineData(1, true)] // a microsecond after it
    public async Task Sweep_KeepsARowUntilItsExpiryPlusTheGrace_AndDeletesItAfter(long microsecondsPast, bool deleted)
    {
        await using var db = await Databases.MigratedAsync("sweep_grace");
        var grace = new SweeperOptions().Grace; // the default
        var clock = TestClock.Create();
        var expiresAt = clock.GetUtcNow() - grace + TimeSpan.FromSeconds(1); // a whole second, its boundary just ahead of the clock
        await SeedAtAsync(db, "boundary", expiresAt);
        await SeedAtAsync(db, "older", expiresAt.AddDays(-1));
        clock.SetUtcNow(expiresAt + grace + TimeSpan.FromMicroseconds(microsecondsPast));

        var report = await new ExpiredRowSweep(new PostgresExpiredRowStore(db), clock).RunAsync(new SweeperOptions(), _ => { }, CancellationToken.None);

        Assert.Equal(deleted ? 2 : 1, report.RowsDeleted);
        Assert.Equal(deleted ? 0 : 1, await CountAsync(db, "boundary"));
        Assert.Equal(0, await CountAsync(db, "older"));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_OneRunningWhollyInsideTheOther_TogetherDeleteEachRowOnce()
    {
        await using var db = await Databases.MigratedAsync("sweep_race");
        await SeedAsync(db, "expired", 12_000, "now() - interval '1 hour'");
        await SeedAsync(db, "live", 100, "now() + interval '1 hour'");
        await LogDeleteStatementsAsync(db);
        await using var otherDb = RegistryDataSourceFactory.Create(Databases.Options(db.ConnectionString));
        var options = new SweeperOptions { Grace = TimeSpan.Zero, BatchSize = 500 };

        // The held row is the oldest: the first sweep's first batch takes it and stays inside that
        // DELETE (its rows locked) until released. Its clock stands still, so its batch timeout
        // never ends the hold.
        await using var held = await HeldSweep.StartAsync(db.ConnectionString);
        var firstBatches = new List<int>();
        var first = new ExpiredRowSweep(new PostgresExpiredRowStore(db), TestClock.Create()).RunAsync(options, firstBatches.Add, CancellationToken.None);
        await held.WaitUntilASweepWaitsAsync();

        var second = await Sweep(otherDb).RunAsync(options, _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var firstWasInFlight = !first.IsCompleted;
        await held.ReleaseAsync();
        var firstReport = await first.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(firstWasInFlight, "the first sweep ended before the second one did: they did not overlap");
        Assert.Null(firstReport.Error);
        Assert.Null(second.Error);
        Assert.True(second.Drained);
        Assert.True(firstBatches[0] >= 1, "the held batch deleted nothing"); // at least the held row, which the second sweep skipped
        Assert.True(second.RowsDeleted > 0);
        Assert.Equal(12_001, firstReport.RowsDeleted + second.RowsDeleted); // each row counted once
        Assert.Equal(12_001L, await TestPostgres.ScalarAsync<long>(db.ConnectionString, "SELECT sum(rows)::bigint FROM test_delete_log")); // and deleted once
        Assert.Equal(0, await CountAsync(db, "expired"));
        Assert.Equal(0, await CountAsync(db, HeldSweep.Prefix.TrimEnd('-')));
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

    [Theory]
    [InlineData(0, 3)] // the budget is spent exactly when the third batch ends: no fourth
    [InlineData(1, 4)] // a tick of it left: one batch more
    public async Task Sweep_StopsOnceTheTimeBudgetIsSpent(long ticksOverThreeBatches, int expectedBatches)
    {
        await using var db = await Databases.MigratedAsync("sweep_budget");
        await SeedAsync(db, "expired", 1_000, "now() - interval '1 hour'");
        var clock = TestClock.Create();
        var batchTakes = TimeSpan.FromSeconds(1);
        var budget = 3 * batchTakes + TimeSpan.FromTicks(ticksOverThreeBatches);

        var report = await new ExpiredRowSweep(new SlowBatches(new PostgresExpiredRowStore(db), clock, batchTakes), clock).RunAsync(
            new SweeperOptions { Grace = TimeSpan.Zero, BatchSize = 10, TimeBudget = budget }, _ => { }, CancellationToken.None);

        Assert.Equal(expectedBatches, report.Batches);
        Assert.Equal(expectedBatches * 10, report.RowsDeleted);
        Assert.False(report.Drained);
        Assert.Equal(1_000 - expectedBatches * 10, await CountAsync(db, "expired"));
    }

    /// <summary>Each batch takes <paramref name="takes"/> on <paramref name="clock"/>.</summary>
    private sealed class SlowBatches(IExpiredRowStore store, FakeTimeProvider clock, TimeSpan takes) : IExpiredRowStore
    {
        public async Task<int> DeleteExpiredBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
        {
            var deleted = await store.DeleteExpiredBatchAsync(cutoff, batchSize, cancellationToken);
            clock.Advance(takes);
            return deleted;
        }
    }

    [Fact]
    public async Task Sweep_BatchThatHangs_IsCancelledAtExactlyTheBatchTimeout_AndReported()
    {
        await using var db = await Databases.MigratedAsync("sweep_hung");
        await using var held = await HeldSweep.StartAsync(db.ConnectionString);
        var options = new SweeperOptions { Grace = TimeSpan.Zero }; // BatchTimeout: the default
        var clock = TestClock.Create();

        var sweep = new ExpiredRowSweep(new PostgresExpiredRowStore(db), clock).RunAsync(options, _ => { }, CancellationToken.None);
        await held.WaitUntilASweepWaitsAsync();
        clock.Advance(options.BatchTimeout - TimeSpan.FromTicks(1));
        var early = await Task.WhenAny(sweep, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.NotSame(sweep, early); // a tick before the timeout the batch still waits
        clock.Advance(TimeSpan.FromTicks(1));

        // Real time bounds only a hang: the cancellation starts on the clock's move.
        var report = await sweep.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Contains("Sweeper:BatchTimeout", report.Error);
        Assert.False(report.Drained);
        Assert.Equal(0, report.RowsDeleted);
        Assert.Equal(1, await CountAsync(db, HeldSweep.Prefix.TrimEnd('-'))); // the cancelled batch deleted nothing
    }
}
