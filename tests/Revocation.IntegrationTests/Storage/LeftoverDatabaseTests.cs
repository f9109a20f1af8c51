using Npgsql;

namespace Revocation.IntegrationTests.Storage;

/// <summary>
/// A test run drops the databases earlier runs left behind, but never one of a run still going:
/// a database is named after the process that created it (a concurrent run once lost its database
/// between two connections).
/// </summary>
public sealed class LeftoverDatabaseTests
{
    [Fact]
    public async Task DatabasesOfARunningProcess_AreKept_ThoseOfAnEndedOne_AreDropped()
    {
        var ours = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("leftover")).Database!;
        // No process has this id (above Linux's largest pid_max): the run that created it has ended.
        var ended = $"test_leftover_p2147483600_{Guid.NewGuid().ToString("N")[..16]}";
        var older = $"test_leftover_{Guid.NewGuid():N}"; // named before the owner mark: dropped too
        await TestPostgres.ExecuteAsync(TestPostgres.ServerUrl, $"CREATE DATABASE \"{ended}\"");
        await TestPostgres.ExecuteAsync(TestPostgres.ServerUrl, $"CREATE DATABASE \"{older}\"");

        TestPostgres.DropLeftoverDatabases(TestPostgres.ServerUrl);

        Assert.True(await ExistsAsync(ours), $"{ours} was created by this process and dropped");
        Assert.False(await ExistsAsync(ended), $"{ended} outlived its run");
        Assert.False(await ExistsAsync(older), $"{older} outlived its run");
    }

    private static async Task<bool> ExistsAsync(string database) =>
        await TestPostgres.ScalarAsync<long>(TestPostgres.ServerUrl, "SELECT count(*) FROM pg_database WHERE datname = $1", database) == 1;
}
