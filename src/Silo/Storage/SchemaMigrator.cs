using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Revocation.Silo.Storage;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly (<c>Storage/Migrations/NNNN_name.sql</c>)
/// that the database has not seen yet, recording each in <c>schema_migrations</c>. The whole run
/// holds a transaction-scoped advisory lock, so silos starting together apply each script once:
/// the others wait, then find nothing left to do. It connects as the schema's owner
/// (<c>ConnectionStrings:RegistryMigrations</c>, else <c>ConnectionStrings:Registry</c>); a role
/// that may not change the schema (<c>registry_silo</c>) is refused with an error naming the settings.
/// Scripts read <paramref name="legacyIssuer"/> (<c>Database:LegacyIssuer</c>) as the transaction's
/// setting <c>registry.legacy_issuer</c> (empty when unset): migration 0009 gives the rows written
/// before issuer-scoped keys to that issuer, and refuses to run without it when there are any.
/// </summary>
public sealed partial class SchemaMigrator(DatabaseConnector connector, ILogger<SchemaMigrator> logger, string? legacyIssuer = null)
{
    /// <summary>The transaction setting through which scripts read <c>Database:LegacyIssuer</c>.</summary>
    public const string LegacyIssuerSetting = "registry.legacy_issuer";

    // Any fixed 64-bit number; it only has to be the same in every silo.
    private const long AdvisoryLockKey = 0x5265766F6B65; // "Revoke"

    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     NOT NULL,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT schema_migrations_pk PRIMARY KEY (version)
        )
        """;

    /// <summary>The service key of the data source on <c>ConnectionStrings:RegistryMigrations</c>.</summary>
    public const string OwnerDataSourceKey = "registry-migrations";

    /// <summary>The scripts shipped with this build, in order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Applies pending migrations; returns how many were applied.</summary>
    /// <exception cref="SchemaChangeRefusedException">The connection's role may not change the schema.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ApplyPendingAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new SchemaChangeRefusedException(
                $"Migrations need the owner of the registry's schema, but the role they connected as may not change it ({ex.MessageText}). " +
                $"Set ConnectionStrings:{RegistryDatabaseOptions.MigrationsConnectionStringName} to the owner's connection string, or run `Revocation.Silo migrate` as the owner " +
                $"and set {RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.MigrateOnStart)}=false.",
                ex);
        }
    }

    private async Task<int> ApplyPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connector.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, CreateHistorySql, cancellationToken);
        await using (var setting = new NpgsqlCommand("SELECT set_config($1, $2, true)", connection, transaction))
        {
            setting.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LegacyIssuerSetting });
            setting.Parameters.Add(new NpgsqlParameter<string> { TypedValue = legacyIssuer ?? "" });
            await setting.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken);

        var count = 0;
        foreach (var migration in Embedded.Where(m => !applied.Contains(m.Version)))
        {
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState != PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new InvalidOperationException(
                    $"Migration {migration.Version:D4}_{migration.Name} failed; no migration of this run was applied: {ex.MessageText}", ex);
            }

            await using var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
            await record.ExecuteNonQueryAsync(cancellationToken);

            SiloLog.MigrationApplied(logger, migration.Version, migration.Name);
            count++;
        }

        await transaction.CommitAsync(cancellationToken);
        SiloLog.SchemaUpToDate(logger, Embedded.Count == 0 ? 0 : Embedded[^1].Version, count);
        return count;
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        var duplicate = migrations.Zip(migrations.Skip(1)).FirstOrDefault(p => p.First.Version == p.Second.Version);
        if (duplicate != default)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.First.Version}.");
        }

        return migrations;
    }

    [GeneratedRegex(@"^Migrations/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}

/// <summary>One embedded migration script.</summary>
public sealed record Migration(int Version, string Name, string Sql);
