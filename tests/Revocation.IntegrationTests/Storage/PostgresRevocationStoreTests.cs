using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Storage;

public sealed class PostgresRevocationStoreTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Find_UnknownJti_ReturnsNull()
    {
        await using var dataSource = await Databases.MigratedAsync("store_find");

        Assert.Null(await Databases.Store(dataSource).FindAsync(TestKeys.Scoped("nobody"), CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_ThenFind_ReturnsTheRow()
    {
        await using var dataSource = await Databases.MigratedAsync("store_roundtrip");
        var store = Databases.Store(dataSource);

        var written = await store.UpsertAsync(TestKeys.Scoped("a"), Now.AddHours(1), Now, "why", CancellationToken.None);

        Assert.Equal(new(Now.AddHours(1), Now, "why"), written);
        Assert.Equal(written, await store.FindAsync(TestKeys.Scoped("a"), CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_Repeated_KeepsFirstRevocationAndNeverShortensExpiry()
    {
        await using var dataSource = await Databases.MigratedAsync("store_repeat");
        var store = Databases.Store(dataSource);
        await store.UpsertAsync(TestKeys.Scoped("a"), Now.AddHours(2), Now, null, CancellationToken.None);

        var shorter = await store.UpsertAsync(TestKeys.Scoped("a"), Now.AddHours(1), Now.AddMinutes(5), "late reason", CancellationToken.None);
        var longer = await store.UpsertAsync(TestKeys.Scoped("a"), Now.AddHours(3), Now.AddMinutes(6), "ignored", CancellationToken.None);

        Assert.Equal(new(Now.AddHours(2), Now, "late reason"), shorter);
        Assert.Equal(new(Now.AddHours(3), Now, "late reason"), longer);
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>(dataSource.ConnectionString, "SELECT count(*) FROM revoked_tokens"));
    }

    [Fact]
    public async Task Upsert_NonUtcOffsets_AreStoredAsTheSameInstant()
    {
        await using var dataSource = await Databases.MigratedAsync("store_offsets");
        var store = Databases.Store(dataSource);
        var expiresAt = Now.AddHours(1).ToOffset(TimeSpan.FromHours(-5));

        var written = await store.UpsertAsync(TestKeys.Scoped("a"), expiresAt, Now, null, CancellationToken.None);

        Assert.Equal(expiresAt, written.ExpiresAt);
    }

    [Fact]
    public async Task ConcurrentUpserts_CommitInGroups_AndEachReturnsItsOwnRow()
    {
        await using var dataSource = await Databases.MigratedAsync("store_group_commit");
        var store = Databases.Store(dataSource, statementsInFlight: 1);

        var written = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            store.UpsertAsync(TestKeys.Scoped($"jti-{i}"), Now.AddHours(1).AddSeconds(i), Now, i % 2 == 0 ? $"reason {i}" : null, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => new RevocationRecord(Now.AddHours(1).AddSeconds(i), Now, i % 2 == 0 ? $"reason {i}" : null)), written);
        Assert.Equal(200L, await TestPostgres.ScalarAsync<long>(dataSource.ConnectionString, "SELECT count(*) FROM revoked_tokens"));
        var found = await Task.WhenAll(Enumerable.Range(0, 201).Select(i => store.FindAsync(TestKeys.Scoped($"jti-{i}"), CancellationToken.None)));
        Assert.Equal(written.Append(null), found);
    }

    [Fact]
    public async Task TheSameJtiTwiceInOneGroup_IsOneRow_WithTheLongerExpiryAndTheFirstReason()
    {
        await using var dataSource = await Databases.MigratedAsync("store_group_duplicate");
        var store = Databases.Store(dataSource, TimeSpan.FromSeconds(30), statementsInFlight: 1);

        Task<RevocationRecord> shorter, longer;
        await using (await RunnerHeldAsync(dataSource, store))
        {
            shorter = store.UpsertAsync(TestKeys.Scoped("a"), Now.AddHours(1), Now, null, CancellationToken.None);
            longer = store.UpsertAsync(TestKeys.Scoped("a"), Now.AddHours(2), Now.AddMinutes(1), "why", CancellationToken.None);
        }

        var expected = new RevocationRecord(Now.AddHours(2), Now, "why");
        Assert.Equal(expected, await shorter);
        Assert.Equal(expected, await longer);
        Assert.Equal(expected, await store.FindAsync(TestKeys.Scoped("a"), CancellationToken.None));
    }

    [Fact]
    public async Task AGroupWithOneRowTheDatabaseRefuses_FailsOnlyThatRow()
    {
        await using var dataSource = await Databases.MigratedAsync("store_group_bad_row");
        var store = Databases.Store(dataSource, TimeSpan.FromSeconds(30), statementsInFlight: 1);

        // PostgreSQL text cannot hold NUL: only that row is refused, the others commit.
        Task<RevocationRecord> good, bad;
        await using (await RunnerHeldAsync(dataSource, store))
        {
            good = store.UpsertAsync(TestKeys.Scoped("good"), Now.AddHours(1), Now, null, CancellationToken.None);
            bad = store.UpsertAsync(TestKeys.Scoped("bad"), Now.AddHours(1), Now, "nul \0 here", CancellationToken.None);
        }

        Assert.Equal(new RevocationRecord(Now.AddHours(1), Now, null), await good);
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Null(await store.FindAsync(TestKeys.Scoped("bad"), CancellationToken.None));
    }

    /// <summary>
    /// Holds the store's only write runner: its statement waits on a row lock another transaction
    /// holds (seen waiting in pg_stat_activity), so that writes made meanwhile queue and leave together
    /// when the returned handle commits that transaction.
    /// </summary>
    private static async Task<IAsyncDisposable> RunnerHeldAsync(Npgsql.NpgsqlDataSource dataSource, PostgresRevocationStore store)
    {
        var blocker = await dataSource.OpenConnectionAsync();
        var transaction = await blocker.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) VALUES ('test-issuer', 'held', now() + interval '1 hour', now())", blocker, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var held = store.UpsertAsync(TestKeys.Scoped("held"), Now.AddHours(1), Now, null, CancellationToken.None);
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(10), async () => await TestPostgres.ScalarAsync<long>(dataSource.ConnectionString,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 1);
        return new Release(async () =>
        {
            await transaction.CommitAsync();
            await blocker.DisposeAsync();
            await held;
        });
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
