using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>The silo's storage pieces, built by hand against a test database.</summary>
public static class Databases
{
    public static RegistryDatabaseOptions Options(string connectionString, TimeSpan? startupTimeout = null) => new()
    {
        ConnectionString = connectionString,
        StartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(30),
    };

    public static DatabaseConnector Connector(NpgsqlDataSource dataSource, RegistryDatabaseOptions options) =>
        new(dataSource, Microsoft.Extensions.Options.Options.Create(options), NullLogger<DatabaseConnector>.Instance);

    public static SchemaMigrator Migrator(NpgsqlDataSource dataSource, RegistryDatabaseOptions options, string? legacyIssuer = null) =>
        new(Connector(dataSource, options), NullLogger<SchemaMigrator>.Instance, legacyIssuer);

    /// <summary>The token grains' store on <paramref name="dataSource"/>, with the default command timeout unless one is given.</summary>
    public static PostgresRevocationStore Store(NpgsqlDataSource dataSource, TimeSpan? commandTimeout = null, int? statementsInFlight = null) =>
        new(dataSource, Microsoft.Extensions.Options.Options.Create(new RegistryDatabaseOptions
        {
            ConnectionString = dataSource.ConnectionString,
            CommandTimeout = commandTimeout ?? new RegistryDatabaseOptions().CommandTimeout,
            StatementsInFlight = statementsInFlight ?? new RegistryDatabaseOptions().StatementsInFlight,
        }));

    /// <summary>A fresh, migrated database and a data source on it.</summary>
    public static async Task<NpgsqlDataSource> MigratedAsync(string purpose)
    {
        var options = Options(await TestPostgres.CreateDatabaseAsync(purpose));
        var dataSource = RegistryDataSourceFactory.Create(options);
        await Migrator(dataSource, options).MigrateAsync(CancellationToken.None);
        return dataSource;
    }

    /// <summary>
    /// The embedded scripts up to <paramref name="version"/> on the database of
    /// <paramref name="connectionString"/>, recorded as the migrator records them: a database as an
    /// older registry left it, for the tests of a later migration.
    /// </summary>
    public static async Task MigrateUpToAsync(string connectionString, int version)
    {
        await TestPostgres.ExecuteAsync(connectionString, """
            CREATE TABLE schema_migrations (
                version    integer     NOT NULL,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT schema_migrations_pk PRIMARY KEY (version))
            """);
        foreach (var migration in SchemaMigrator.Embedded.Where(m => m.Version <= version))
        {
            await TestPostgres.ExecuteAsync(connectionString, migration.Sql);
            await TestPostgres.ExecuteAsync(connectionString, $"INSERT INTO schema_migrations (version, name) VALUES ({migration.Version}, '{migration.Name}')");
        }
    }
}
