using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Revocation.Abstractions;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>
/// The <c>revoked_tokens</c> table through Npgsql, keyed by (<c>iss</c>, <c>jti</c>) — or a table of
/// the same shape keyed by another column (<see cref="PostgresSessionStore"/>: <c>revoked_sessions</c>
/// by (<c>iss</c>, <c>sid</c>)). Concurrent reads of this silo's token grains
/// leave together as one statement, as do concurrent writes (<see cref="StatementBatcher{TRequest,TResult}"/>):
/// a storm of revocations commits in groups, one round trip and one commit per group, and a
/// revocation is acknowledged only after the commit that carried it. Each statement is idempotent,
/// retried briefly on connection failures (<see cref="TransientRetry"/>) and bounded as a whole by
/// <see cref="RegistryDatabaseOptions.CommandTimeout"/> (<see cref="BoundedStatements"/>).
/// </summary>
public class PostgresRevocationStore : IRevocationStore
{
    private static string FindSql(string table, string key) => $"""
        SELECT t.iss, t.{key}, t.expires_at, t.revoked_at, t.reason
        FROM {table} t
        JOIN unnest($1::text[], $2::text[]) AS k (iss, {key}) ON t.iss = k.iss AND t.{key} = k.{key}
        """;

    // Idempotent: a repeat keeps the first revoked_at and reason and never shortens the expiry. Rows
    // are written in key order, so that two statements over the same rows cannot deadlock.
    private static string UpsertSql(string table, string key) => $"""
        INSERT INTO {table} AS t (iss, {key}, expires_at, revoked_at, reason)
        SELECT iss, {key}, expires_at, revoked_at, reason
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[]) AS row (iss, {key}, expires_at, revoked_at, reason)
        ORDER BY iss, {key}
        ON CONFLICT ON CONSTRAINT {table}_pk DO UPDATE
            SET expires_at = GREATEST(t.expires_at, EXCLUDED.expires_at),
                reason = COALESCE(t.reason, EXCLUDED.reason)
        RETURNING iss, {key}, expires_at, revoked_at, reason
        """;

    private readonly string _findSql;
    private readonly string _upsertSql;
    private readonly string _key;
    private readonly NpgsqlDataSource _dataSource;
    private readonly BoundedStatements _bounded;
    private readonly StatementBatcher<IssuerKey, RevocationRecord?> _reads;
    private readonly StatementBatcher<Revoke, RevocationRecord> _writes;

    public PostgresRevocationStore(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options)
        : this(dataSource, options, "revoked_tokens", "jti")
    {
    }

    /// <param name="dataSource">The registry's database.</param>
    /// <param name="options">Statement bounds and group sizes.</param>
    /// <param name="table">The table, with columns (iss, <paramref name="key"/>, expires_at, revoked_at, reason) and primary key constraint <c>&lt;table&gt;_pk</c>.</param>
    /// <param name="key">The column of the key's value.</param>
    protected PostgresRevocationStore(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options, string table, string key)
    {
        _findSql = FindSql(table, key);
        _upsertSql = UpsertSql(table, key);
        _key = key;
        _dataSource = dataSource;
        _bounded = new BoundedStatements(options);
        var settings = options.Value;
        var timeout = BoundedStatements.TimeoutMessage(settings);
        _reads = new(FindManyAsync, settings.MaxRowsPerStatement, settings.StatementsInFlight, settings.CommandTimeout, timeout);
        _writes = new(UpsertManyAsync, settings.MaxRowsPerStatement, settings.StatementsInFlight, settings.CommandTimeout, timeout, MayBeOneRowsFault);
    }

    public Task<RevocationRecord?> FindAsync(IssuerKey token, CancellationToken cancellationToken) =>
        _reads.RunAsync(token, cancellationToken);

    public Task<RevocationRecord> UpsertAsync(
        IssuerKey token, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken) =>
        _writes.RunAsync(new Revoke(token, expiresAt.ToUniversalTime(), revokedAt.ToUniversalTime(), reason), cancellationToken);

    private Task<IReadOnlyList<RevocationRecord?>> FindManyAsync(IReadOnlyList<IssuerKey> tokens, TimeSpan budget) =>
        _bounded.RunAsync(async ct =>
        {
            var rows = new Dictionary<IssuerKey, RevocationRecord>(tokens.Count);
            var distinct = tokens.Distinct().ToList();
            await using var command = _dataSource.CreateCommand(_findSql);
            AddKeys(command, distinct);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows[ReadKey(reader)] = ReadRecord(reader);
                }
            }

            return (IReadOnlyList<RevocationRecord?>)[.. tokens.Select(token => rows.GetValueOrDefault(token))];
        }, budget, CancellationToken.None);

    private Task<IReadOnlyList<RevocationRecord>> UpsertManyAsync(IReadOnlyList<Revoke> revokes, TimeSpan budget) =>
        _bounded.RunAsync(async ct =>
        {
            // One row per key (a statement may not change a row twice): the longest expiry, the first
            // reason; the earliest revoked_at, which the table keeps anyway for an existing row.
            var rows = revokes
                .GroupBy(r => r.Token)
                .Select(g => new Revoke(g.Key, g.Max(r => r.ExpiresAt), g.Min(r => r.RevokedAt), g.Select(r => r.Reason).FirstOrDefault(r => r is not null)))
                .ToList();
            await using var command = _dataSource.CreateCommand(_upsertSql);
            AddKeys(command, [.. rows.Select(r => r.Token)]);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(r => r.ExpiresAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(r => r.RevokedAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.Reason)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

            var committed = new Dictionary<IssuerKey, RevocationRecord>(rows.Count);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    committed[ReadKey(reader)] = ReadRecord(reader);
                }
            }

            return (IReadOnlyList<RevocationRecord>)[.. revokes.Select(r => committed.TryGetValue(r.Token, out var row)
                ? row
                : throw new InvalidOperationException($"The revocation upsert returned no row for {_key} '{r.Token.Value}' of issuer '{r.Token.Issuer}'."))];
        }, budget, CancellationToken.None);

    /// <summary>
    /// A statement error that may come from one row's values rather than from the database or the
    /// connection: the batch is then written again one row at a time, so that only that row fails.
    /// </summary>
    private static bool MayBeOneRowsFault(Exception exception) =>
        exception is PostgresException postgres && !TransientRetry.IsConnectionFailure(postgres)
            && postgres.SqlState is not (PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure);

    /// <summary>The keys as the first two parameters: the issuers, then the values, in the same order.</summary>
    private static void AddKeys(NpgsqlCommand command, IReadOnlyList<IssuerKey> keys)
    {
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.Issuer)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.Value)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    private static IssuerKey ReadKey(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1));

    private static RevocationRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetString(4));

    private sealed record Revoke(IssuerKey Token, DateTimeOffset ExpiresAt, DateTimeOffset RevokedAt, string? Reason);
}
