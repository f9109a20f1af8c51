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

    /// <summary>
    /// The longest a token grain's read or write of <c>revoked_tokens</c> may take, retries after a
    /// broken connection included; then the statement is cancelled and the grain call fails.
    /// Keep it below the API nodes' <c>RevocationCheck:Timeout</c> (2 s), so that a grain activating
    /// on a hung database gives up no later than the check waiting for it, and so below
    /// <c>Registry:CallTimeout</c> (5 s) too. At most 30 seconds. The default is 1 second.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest <see cref="CommandTimeout"/>: Npgsql's own default command timeout, which would end a statement first.</summary>
    public static TimeSpan MaxCommandTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a silo applies pending schema migrations when it starts. The default is true.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
