using System.Diagnostics;
using Npgsql;
using Revocation.Abstractions;
using Revocation.Silo.Storage;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests;

/// <summary>
/// A database that stops answering (here: a lock the test holds) fails a token grain's call within
/// <c>Database:CommandTimeout</c>, before an API node's check (<c>RevocationCheck:Timeout</c>, 2 s)
/// gives up, and leaves no statement running and no connection taken.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HungDatabaseTests(HungDatabaseCluster registry) : IClassFixture<HungDatabaseCluster>
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Activation_WhenItsReadHangs_FailsBeforeTheCheckTimeout_AndFreesItsConnection()
    {
        Assert.True(new RegistryDatabaseOptions().CommandTimeout < CheckTimeout);
        await using var holder = await HoldAsync("LOCK TABLE revoked_tokens IN ACCESS EXCLUSIVE MODE");
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("hung-read"));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RegistryStorageException>(() => grain.IsRevokedAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.True(clock.Elapsed < CheckTimeout, $"the grain call failed after {clock.Elapsed}");
        await AssertNoStatementLeftAsync();
    }

    [Fact]
    public async Task Revoke_WhenItsWriteHangs_FailsWithinTheCommandTimeout_AndFreesItsConnection()
    {
        var jti = RegistryCluster.NewJti("hung-write");
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "first");
        await using var holder = await HoldAsync($"SELECT 1 FROM revoked_tokens WHERE jti = '{jti}' FOR UPDATE");

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RegistryStorageException>(
            () => grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(2), "longer").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.True(clock.Elapsed < CheckTimeout, $"the grain call failed after {clock.Elapsed}");
        await AssertNoStatementLeftAsync();
    }

    /// <summary>An open transaction holding whatever <paramref name="lockSql"/> takes, until disposed.</summary>
    private async Task<NpgsqlConnection> HoldAsync(string lockSql)
    {
        // Unpooled: disposing it ends the session, and the session's locks with it.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(registry.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var begin = new NpgsqlCommand($"BEGIN; {lockSql}", connection);
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>
    /// The silo's connections (its data source names them) are idle: the statement was cancelled at
    /// the server rather than left waiting for the lock, and the connection survived, back in the pool.
    /// </summary>
    private async Task AssertNoStatementLeftAsync()
    {
        const string Sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'revocation-silo' AND state = $1";
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(registry.ConnectionString, Sessions, "active"));
        Assert.True(await TestPostgres.ScalarAsync<long>(registry.ConnectionString, Sessions, "idle") >= 1);
    }
}
