using System.Diagnostics;
using Npgsql;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Storage;

/// <summary>
/// A database that stops answering (here: a lock the test holds) fails a token grain's call within
/// <c>Database:CommandTimeout</c>, before an API node's check (<c>RevocationCheck:Timeout</c>, 2 s)
/// gives up, and leaves no statement running: once the database answers again, so does the grain.
/// </summary>
[Collection(WallClockBoundsCollection.Name)]
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

        await holder.DisposeAsync();
        Assert.False(await grain.IsRevokedAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
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

        await holder.DisposeAsync();
        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(2), "longer").WaitAsync(TimeSpan.FromSeconds(10));
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
    /// No statement of the silo's (its data source names its connections) is still running: it was
    /// cancelled at the server rather than left waiting for the lock. The server handles the cancel
    /// on its own time, so this waits a few seconds for it; whether the connection then went back to
    /// the pool or was closed (Npgsql closes one whose cancel it could not confirm in time) is Npgsql's
    /// choice; the check after the lock is released shows the silo was left able to use the database.
    /// </summary>
    private async Task AssertNoStatementLeftAsync()
    {
        const string Running = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'revocation-silo' AND state <> 'idle'";
        var clock = Stopwatch.StartNew();
        long running;
        while ((running = await TestPostgres.ScalarAsync<long>(registry.ConnectionString, Running)) > 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100);
        }

        Assert.True(running == 0, $"{running} statement(s) of the silo still running {clock.Elapsed} after the grain call failed");
    }
}
