using Npgsql;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>
/// The sweeper deletes session rows once their retention has passed and records of delivered tokens
/// once their <c>seen_until</c> has, in the same bounded batches as token rows (tokens first, then
/// sessions, then received tokens, each with what a batch has left), and never a live one.
/// </summary>
public sealed class SweptTablesTests
{
    private static readonly SweeperOptions Defaults = new() { Grace = TimeSpan.Zero, BatchSize = 100 };

    private static Task SeedAsync(NpgsqlDataSource db, string table, string key, string prefix, int count, string expiresAt) =>
        TestPostgres.ExecuteAsync(db.ConnectionString, $"""
            INSERT INTO {table} (iss, {key}, expires_at, revoked_at)
            SELECT 'test-issuer', '{prefix}-' || g, {expiresAt}, now() - interval '2 days' FROM generate_series(1, {count}) AS g
            """);

    private static Task<long> CountAsync(NpgsqlDataSource db, string table, string key, string prefix) =>
        TestPostgres.ScalarAsync<long>(db.ConnectionString, $"SELECT count(*) FROM {table} WHERE {key} LIKE '{prefix}-%'");

    private static Task SeedReceivedAsync(NpgsqlDataSource db, string prefix, int count, string seenUntil) =>
        TestPostgres.ExecuteAsync(db.ConnectionString, $"""
            INSERT INTO received_tokens (iss, jti, seen_until)
            SELECT 'test-issuer', '{prefix}-' || g, {seenUntil} FROM generate_series(1, {count}) AS g
            """);

    [Fact]
    public async Task Sweep_DeletesExpiredTokenSessionAndReceivedRows_InBatchesOfAtMostItsSize_AndKeepsLiveOnes()
    {
        await using var db = await Databases.MigratedAsync("sweep_sessions");
        await SeedAsync(db, "revoked_tokens", "jti", "expired", 130, "now() - interval '1 hour'");
        await SeedAsync(db, "revoked_sessions", "sid", "expired", 150, "now() - interval '1 hour'");
        await SeedReceivedAsync(db, "expired", 45, "now() - interval '1 minute'");
        await SeedAsync(db, "revoked_tokens", "jti", "live", 5, "now() + interval '1 hour'");
        await SeedAsync(db, "revoked_sessions", "sid", "live", 7, "now() + interval '1 day'");
        await SeedReceivedAsync(db, "live", 3, "now() + interval '5 minutes'");
        var batches = new List<int>();

        var report = await new ExpiredRowSweep(new PostgresExpiredRowStore(db), TimeProvider.System).RunAsync(Defaults, batches.Add, CancellationToken.None);

        Assert.Null(report.Error);
        Assert.True(report.Drained);
        Assert.Equal(325, report.RowsDeleted);
        Assert.Equal([100, 100, 100, 25], batches);
        Assert.Equal(0, await CountAsync(db, "revoked_tokens", "jti", "expired"));
        Assert.Equal(0, await CountAsync(db, "revoked_sessions", "sid", "expired"));
        Assert.Equal(5, await CountAsync(db, "revoked_tokens", "jti", "live"));
        Assert.Equal(7, await CountAsync(db, "revoked_sessions", "sid", "live"));
        Assert.Equal(0, await CountAsync(db, "received_tokens", "jti", "expired"));
        Assert.Equal(3, await CountAsync(db, "received_tokens", "jti", "live"));
    }
}
