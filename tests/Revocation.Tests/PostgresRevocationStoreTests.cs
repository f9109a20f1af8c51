using Revocation.Silo.Storage;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests;

[Trait("Category", "Integration")]
public sealed class PostgresRevocationStoreTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Find_UnknownJti_ReturnsNull()
    {
        await using var dataSource = await Databases.MigratedAsync("store_find");

        Assert.Null(await Databases.Store(dataSource).FindAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_ThenFind_ReturnsTheRow()
    {
        await using var dataSource = await Databases.MigratedAsync("store_roundtrip");
        var store = Databases.Store(dataSource);

        var written = await store.UpsertAsync("a", Now.AddHours(1), Now, "why", CancellationToken.None);

        Assert.Equal(new(Now.AddHours(1), Now, "why"), written);
        Assert.Equal(written, await store.FindAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_Repeated_KeepsFirstRevocationAndNeverShortensExpiry()
    {
        await using var dataSource = await Databases.MigratedAsync("store_repeat");
        var store = Databases.Store(dataSource);
        await store.UpsertAsync("a", Now.AddHours(2), Now, null, CancellationToken.None);

        var shorter = await store.UpsertAsync("a", Now.AddHours(1), Now.AddMinutes(5), "late reason", CancellationToken.None);
        var longer = await store.UpsertAsync("a", Now.AddHours(3), Now.AddMinutes(6), "ignored", CancellationToken.None);

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

        var written = await store.UpsertAsync("a", expiresAt, Now, null, CancellationToken.None);

        Assert.Equal(expiresAt, written.ExpiresAt);
    }
}
