using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>
/// The <c>revoked_tokens</c> table through Npgsql. Each call is one idempotent statement, retried
/// briefly on connection failures (<see cref="TransientRetry"/>) and bounded as a whole by
/// <see cref="RegistryDatabaseOptions.CommandTimeout"/> (<see cref="BoundedStatements"/>).
/// </summary>
public sealed class PostgresRevocationStore(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options) : IRevocationStore
{
    private readonly BoundedStatements _bounded = new(options);

    private const string FindSql =
        "SELECT expires_at, revoked_at, reason FROM revoked_tokens WHERE jti = $1";

    // Idempotent: a repeat keeps the first revoked_at and reason and never shortens the expiry.
    private const string UpsertSql = """
        INSERT INTO revoked_tokens AS t (jti, expires_at, revoked_at, reason)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT ON CONSTRAINT revoked_tokens_pk DO UPDATE
            SET expires_at = GREATEST(t.expires_at, EXCLUDED.expires_at),
                reason = COALESCE(t.reason, EXCLUDED.reason)
        RETURNING expires_at, revoked_at, reason
        """;

    public Task<RevocationRecord?> FindAsync(string jti, CancellationToken cancellationToken) =>
        _bounded.RunAsync(ct => FindOnceAsync(jti, ct), cancellationToken);

    public Task<RevocationRecord> UpsertAsync(
        string jti, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken) =>
        _bounded.RunAsync(ct => UpsertOnceAsync(jti, expiresAt, revokedAt, reason, ct), cancellationToken);

    private async Task<RevocationRecord?> FindOnceAsync(string jti, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FindSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jti, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRecord(reader) : null;
    }

    private async Task<RevocationRecord> UpsertOnceAsync(
        string jti, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UpsertSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jti, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = revokedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The revocation upsert returned no row.");
        }

        return ReadRecord(reader);
    }

    private static RevocationRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<DateTimeOffset>(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.IsDBNull(2) ? null : reader.GetString(2));
}
