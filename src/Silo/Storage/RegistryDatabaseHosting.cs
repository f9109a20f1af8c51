using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Hosting;
using Revocation.Grains;
using Revocation.Grains.Received;
using Revocation.Hosting;

namespace Revocation.Silo.Storage;

public static class RegistryDatabaseHosting
{
    /// <summary>
    /// The registry database: its settings (validated at start), the connection pools (serving, and
    /// the schema owner's for the migrator alone), migrations at start, the TLS warning, and the
    /// PostgreSQL stores of revocations, sessions, legacy subjects and received tokens.
    /// </summary>
    public static ISiloBuilder AddRegistryDatabase(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddValidatedOptions<RegistryDatabaseOptions, RegistryDatabaseOptionsValidator>(configuration.GetSection(RegistryDatabaseOptions.SectionName))
            .Configure(o =>
            {
                o.ConnectionString ??= configuration.GetConnectionString(RegistryDatabaseOptions.ConnectionStringName);
                // An empty value (an environment variable set to nothing) means unset: migrate with the serving connection.
                var migrations = o.MigrationsConnectionString ?? configuration.GetConnectionString(RegistryDatabaseOptions.MigrationsConnectionStringName);
                o.MigrationsConnectionString = string.IsNullOrWhiteSpace(migrations) ? null : migrations;
            });

        services.TryAddSingleton(sp => RegistryDataSourceFactory.Create(sp.GetRequiredService<IOptions<RegistryDatabaseOptions>>().Value));
        services.TryAddSingleton<DatabaseConnector>();
        // The migrator alone may use the schema owner's connection (ConnectionStrings:RegistryMigrations);
        // everything else serves with ConnectionStrings:Registry (migration 0008's registry_silo).
        services.TryAddKeyedSingleton<NpgsqlDataSource>(SchemaMigrator.OwnerDataSourceKey, (sp, _) =>
            RegistryDataSourceFactory.Create(sp.GetRequiredService<IOptions<RegistryDatabaseOptions>>().Value.MigrationsConnectionString));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RegistryDatabaseOptions>>();
            var dataSource = options.Value.MigrationsConnectionString is null
                ? sp.GetRequiredService<NpgsqlDataSource>()
                : sp.GetRequiredKeyedService<NpgsqlDataSource>(SchemaMigrator.OwnerDataSourceKey);
            return new SchemaMigrator(
                new DatabaseConnector(dataSource, options, sp.GetRequiredService<ILogger<DatabaseConnector>>()),
                sp.GetRequiredService<ILogger<SchemaMigrator>>(),
                options.Value.LegacyIssuer);
        });
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DatabaseTransportWarning>();
        services.TryAddSingleton<IRevocationStore, PostgresRevocationStore>();
        services.TryAddSingleton<ISessionRevocationStore, PostgresSessionStore>();
        services.TryAddSingleton<ILegacySubjects, PostgresLegacySubjects>();
        services.TryAddSingleton<IReceivedTokenStore, PostgresReceivedTokenStore>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MigrateOnSiloStart>();
        return silo;
    }
}
