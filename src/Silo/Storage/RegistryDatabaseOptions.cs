namespace Revocation.Silo.Storage;

/// <summary>
/// Where the registry's PostgreSQL database is. The connection string comes from
/// <c>ConnectionStrings:Registry</c> (environment: <c>ConnectionStrings__Registry</c>); the rest
/// from the <c>Database</c> section. The connection string is never logged.
/// </summary>
public sealed class RegistryDatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Registry";

    /// <summary>The ADO.NET invariant Orleans' providers (clustering, reminders, grain storage) use for this database.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>The Npgsql connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a starting silo keeps retrying (with backoff) an unreachable database before it
    /// gives up with an error. The default is 60 seconds.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether a silo applies pending schema migrations when it starts. The default is true.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
