namespace Revocation.Silo.Storage;

/// <summary>
/// Where the registry's PostgreSQL database is. The connection string comes from
/// <c>ConnectionStrings:Registry</c> (environment: <c>ConnectionStrings__Registry</c>); the rest
/// from the <c>Database</c> section. Connection strings are never logged.
/// </summary>
public sealed class RegistryDatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Registry";

    /// <summary>The connection string only the migrator uses, when set: the owner of the schema.</summary>
    public const string MigrationsConnectionStringName = "RegistryMigrations";

    /// <summary>The ADO.NET invariant Orleans' providers (clustering, reminders, grain storage) use for this database.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// The Npgsql connection string the silo serves with (<c>ConnectionStrings:Registry</c>). In
    /// production a login role that is a member of <c>registry_silo</c> (migration 0008), which may
    /// read and write the registry's rows but not change the schema.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The Npgsql connection string of the schema's owner, used only to apply migrations
    /// (<c>ConnectionStrings:RegistryMigrations</c>): a silo that migrates at start then serves
    /// with <see cref="ConnectionString"/>. The default (unset) migrates with
    /// <see cref="ConnectionString"/> itself, which then must be the owner's.
    /// </summary>
    public string? MigrationsConnectionString { get; set; }

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

    /// <summary>
    /// The most token reads, or revocation writes, one statement carries. Concurrent reads (and
    /// writes) of one silo's token grains leave together as one statement while earlier ones are
    /// still in flight, so a revocation storm costs one round trip and one commit per group. 1 to
    /// 10 000; the default is 256.
    /// </summary>
    public int MaxRowsPerStatement { get; set; } = 256;

    /// <summary>
    /// How many statements of each kind (reads, writes) one silo has in flight at once before further
    /// requests queue to leave together. Each holds a pooled connection while it runs. 1 to 64; the
    /// default is 1: a request arriving while its kind's statement runs waits at most that one
    /// round trip and then leaves with every other that arrived meanwhile. With 4, concurrent
    /// revocations rarely found all four busy and went one row per statement (1.02–1.35 rows per
    /// upsert at concurrency 16–64); with 1 they carried 1.4–5.3 and the same machine took 18–67 %
    /// more revocations per second (benchmarks/results-revocations.md).
    /// </summary>
    public int StatementsInFlight { get; set; } = 1;

    /// <summary>The largest <see cref="MaxRowsPerStatement"/>.</summary>
    public const int MaxRowsPerStatementLimit = 10_000;

    /// <summary>The largest <see cref="StatementsInFlight"/>.</summary>
    public const int StatementsInFlightLimit = 64;

    /// <summary>
    /// The issuer (<c>iss</c>) that revocations recorded before issuer-scoped keys (migration 0009)
    /// belong to: the one issuer the API nodes trusted then (their <c>Jwt:Issuer</c>). Read only by
    /// migrations: 0009 gives every existing <c>revoked_tokens</c> row and every subject's not-before
    /// to this issuer, and refuses to run without it while there are any (a database without them
    /// needs none). With several issuers trusted now it is still the one of before: the registry
    /// cannot tell, so it is never guessed. Unset by default.
    /// </summary>
    public string? LegacyIssuer { get; set; }

    /// <summary>Whether a silo applies pending schema migrations when it starts. The default is true.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
