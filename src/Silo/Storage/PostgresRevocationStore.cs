using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>
/// The <c>revoked_tokens</c> table through Npgsql. Concurrent reads of this silo's token grains
/// leave together as one statement, as do concurrent writes (<see cref="StatementBatcher{TRequest,TResult}"/>):
/// a storm of revocations commits in groups, one round trip and one commit per group, and a
/// revocation is acknowledged only after the commit that carried it. Each statement is idempotent,
/// retried briefly on connection failures (<see cref="TransientRetry"/>) and bounded as a whole by
/// <see cref="RegistryDatabaseOptions.CommandTimeout"/> (<see cref="BoundedStatements"/>).
/// </summary>
public sealed class PostgresRevocationStore : IRevocationStore
{
    private const string FindSql =
        "SELECT jti, expires_at, revoked_at, reason FROM revoked_tokens WHERE jti = ANY($1)";

    // Idempotent: a repeat keeps the first revoked_at and reason and never shortens the expiry. Rows
    // are written in jti order, so that two statements over the same rows cannot deadlock.
    private const string UpsertSql = """
        INSERT INTO revoked_tokens AS t (jti, expires_at, revoked_at, reason)
        SELECT jti, expires_at, revoked_at, reason
        FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[]) AS row (jti, expires_at, revoked_at, reason)
        ORDER BY jti
        ON CONFLICT ON CONSTRAINT revoked_tokens_pk DO UPDATE
            SET expires_at = GREATEST(t.expires_at, EXCLUDED.expires_at),
                reason = COALESCE(t.reason, EXCLUDED.reason)
        RETURNING jti, expires_at, revoked_at, reason
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly BoundedStatements _bounded;
    private readonly StatementBatcher<string, RevocationRecord?> _reads;
    private readonly StatementBatcher<Revoke, RevocationRecord> _writes;

    public PostgresRevocationStore(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options)
    {
        _dataSource = dataSource;
        _bounded = new BoundedStatements(options);
        var settings = options.Value;
        var timeout = BoundedStatements.TimeoutMessage(settings);
        _reads = new(FindManyAsync, settings.MaxRowsPerStatement, settings.StatementsInFlight, settings.CommandTimeout, timeout);
        _writes = new(UpsertManyAsync, settings.MaxRowsPerStatement, settings.StatementsInFlight, settings.CommandTimeout, timeout, MayBeOneRowsFault);
    }

    public Task<RevocationRecord?> FindAsync(string jti, CancellationToken cancellationToken) =>
        _reads.RunAsync(jti, cancellationToken);

    public Task<RevocationRecord> UpsertAsync(
        string jti, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken) =>
        _writes.RunAsync(new Revoke(jti, expiresAt.ToUniversalTime(), revokedAt.ToUniversalTime(), reason), cancellationToken);

    private Task<IReadOnlyList<RevocationRecord?>> FindManyAsync(IReadOnlyList<string> jtis, TimeSpan budget) =>
        _bounded.RunAsync(async ct =>
        {
            var rows = new Dictionary<string, RevocationRecord>(jtis.Count, StringComparer.Ordinal);
            await using var command = _dataSource.CreateCommand(FindSql);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jtis.Distinct(StringComparer.Ordinal)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows[reader.GetString(0)] = ReadRecord(reader);
                }
            }

            return (IReadOnlyList<RevocationRecord?>)[.. jtis.Select(jti => rows.GetValueOrDefault(jti))];
        }, budget, CancellationToken.None);

    private Task<IReadOnlyList<RevocationRecord>> UpsertManyAsync(IReadOnlyList<Revoke> revokes, TimeSpan budget) =>
        _bounded.RunAsync(async ct =>
        {
            // One row per jti (a statement may not change a row twice): the longest expiry, the first
            // reason; the earliest revoked_at, which the table keeps anyway for an existing row.
            var rows = revokes
                .GroupBy(r => r.Jti, StringComparer.Ordinal)
                .Select(g => new Revoke(g.Key, g.Max(r => r.ExpiresAt), g.Min(r => r.RevokedAt), g.Select(r => r.Reason).FirstOrDefault(r => r is not null)))
                .ToList();
            await using var command = _dataSource.CreateCommand(UpsertSql);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Jti)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(r => r.ExpiresAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(r => r.RevokedAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.Reason)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

            var committed = new Dictionary<string, RevocationRecord>(rows.Count, StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    committed[reader.GetString(0)] = ReadRecord(reader);
                }
            }

            return (IReadOnlyList<RevocationRecord>)[.. revokes.Select(r => committed.TryGetValue(r.Jti, out var row)
                ? row
                : throw new InvalidOperationException($"The revocation upsert returned no row for jti '{r.Jti}'."))];
        }, budget, CancellationToken.None);

    /// <summary>
    /// A statement error that may come from one row's values rather than from the database or the
    /// connection: the batch is then written again one row at a time, so that only that row fails.
    /// </summary>
    private static bool MayBeOneRowsFault(Exception exception) =>
        exception is PostgresException postgres && !TransientRetry.IsConnectionFailure(postgres)
            && postgres.SqlState is not (PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure);

    private static RevocationRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.IsDBNull(3) ? null : reader.GetString(3));

    private sealed record Revoke(string Jti, DateTimeOffset ExpiresAt, DateTimeOffset RevokedAt, string? Reason);
}
