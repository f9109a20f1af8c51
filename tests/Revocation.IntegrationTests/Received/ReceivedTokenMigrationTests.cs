using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Received;

/// <summary>
/// Migration 0011 on a database where the replay grains kept their records in grain storage: those
/// rows go (they were never swept), every other grain's state stays, and the records live in
/// <c>received_tokens</c> from then on.
/// </summary>
public sealed class ReceivedTokenMigrationTests
{
    private const int VersionBefore = 10;
    private const string OldStateName = "revocation-received-token-seen";

    [Fact]
    public async Task RecordsInGrainStorage_AreDeleted_OtherGrainStateIsKept()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("received_upgrade");
        await Databases.MigrateUpToAsync(connectionString, VersionBefore);
        await InsertStateRowAsync(connectionString, OldStateName, "1:xlogout-token-1");
        await InsertStateRowAsync(connectionString, OldStateName, "1:xlogout-token-2");
        await InsertStateRowAsync(connectionString, SubjectGrain.StateName, "1:xalice");

        var options = Databases.Options(connectionString);
        await using (var dataSource = RegistryDataSourceFactory.Create(options))
        {
            Assert.Equal(SchemaMigrator.Embedded.Count - VersionBefore, await Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None));
        }

        Assert.Equal(0L, await CountStateRowsAsync(connectionString, OldStateName));
        Assert.Equal(1L, await CountStateRowsAsync(connectionString, SubjectGrain.StateName));
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(connectionString, "SELECT count(*) FROM received_tokens"));
    }

    private static Task InsertStateRowAsync(string connectionString, string stateName, string key) =>
        TestPostgres.ExecuteAsync(connectionString, $"""
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                        GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            VALUES (hashtext('{key}'), 0, 0, 1, '{stateName}', '{key}', 'revocation-registry', '\x7b7d'::bytea, now() - interval '3 days', 1)
            """);

    private static Task<long> CountStateRowsAsync(string connectionString, string stateName) =>
        TestPostgres.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1", stateName);
}
