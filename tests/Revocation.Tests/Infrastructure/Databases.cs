using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Revocation.Silo.Storage;

namespace Revocation.Tests.Infrastructure;

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
}
