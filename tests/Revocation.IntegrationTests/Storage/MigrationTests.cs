using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        var options = Databases.Options(await TestPostgres.CreateDatabaseAsync("migrate_twice"));
        await using var dataSource = RegistryDataSourceFactory.Create(options);
        var migrator = Databases.Migrator(dataSource, options);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrator.Embedded.Count, first);
        Assert.Equal(0, second);
        Assert.Equal(SchemaMigrator.Embedded.Count,
            await TestPostgres.ScalarAsync<long>(options.ConnectionString!, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_FromSeveralSilosAtOnce_AppliesEachScriptExactlyOnce()
    {
        var options = Databases.Options(await TestPostgres.CreateDatabaseAsync("migrate_race"));
        var dataSources = Enumerable.Range(0, 4).Select(_ => RegistryDataSourceFactory.Create(options)).ToList();
        try
        {
            using var start = new Barrier(dataSources.Count);
            var runs = dataSources.Select(ds => Task.Run(() =>
            {
                start.SignalAndWait();
                return Databases.Migrator(ds, options).MigrateAsync(CancellationToken.None);
            }));

            var applied = await Task.WhenAll(runs);

            Assert.Equal(SchemaMigrator.Embedded.Count, applied.Sum());
            Assert.Equal(SchemaMigrator.Embedded.Count,
                await TestPostgres.ScalarAsync<long>(options.ConnectionString!, "SELECT count(*) FROM schema_migrations"));
        }
        finally
        {
            foreach (var ds in dataSources)
            {
                await ds.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Migrate_CreatesTheRevokedTokensTableWithItsExpiryIndex()
    {
        await using var dataSource = await Databases.MigratedAsync("migrate_shape");

        var columns = await TestPostgres.ScalarAsync<string>(dataSource.ConnectionString, """
            SELECT string_agg(column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_name = 'revoked_tokens'
            """);
        var index = await TestPostgres.ScalarAsync<string>(dataSource.ConnectionString,
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'revoked_tokens_expires_at_ix'");

        Assert.Equal(
            "jti:text:NO,expires_at:timestamp with time zone:NO,revoked_at:timestamp with time zone:NO,reason:text:YES,iss:text:NO",
            columns);
        Assert.Contains("(expires_at)", index);
        Assert.Contains("(iss, jti)", await TestPostgres.ScalarAsync<string>(dataSource.ConnectionString,
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'revoked_tokens_pk'"));
    }

    [Fact]
    public void EmbeddedMigrations_AreNumberedFromOneWithoutGaps()
    {
        var versions = SchemaMigrator.Embedded.Select(m => m.Version).ToList();

        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }
}
