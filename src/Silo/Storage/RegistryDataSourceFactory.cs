using Npgsql;

namespace Revocation.Silo.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> a silo uses for the registry's tables.</summary>
public static class RegistryDataSourceFactory
{
    public static NpgsqlDataSource Create(RegistryDatabaseOptions options) => Create(options.ConnectionString);

    /// <summary>A data source on <paramref name="connectionString"/> with the registry's defaults.</summary>
    public static NpgsqlDataSource Create(string? connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;

        // The hot queries are two fixed statements: let Npgsql prepare them on each physical
        // connection unless the operator chose otherwise.
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 16;
        }

        // Npgsql resets every connection handed back to the pool (DISCARD ALL's parts, seven statements
        // sent before the connection's next use): two resets per revocation, more than the revocation's
        // own statements cost the database. The registry's statements leave no session state behind
        // (its advisory locks are transaction-scoped), so there is nothing to reset, unless the operator
        // says otherwise.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        settings.ApplicationName ??= "revocation-silo";
        return builder.Build();
    }

    /// <summary>Host, port and database of a connection string: what may be shown in an error.</summary>
    public static string Describe(NpgsqlDataSource dataSource)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"Host={settings.Host};Port={settings.Port};Database={settings.Database}";
    }
}
