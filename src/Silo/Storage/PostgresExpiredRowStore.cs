using Npgsql;
using NpgsqlTypes;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>
/// Bounded deletes of expired rows from <c>revoked_tokens</c>, <c>revoked_sessions</c> and
/// <c>received_tokens</c> (records of delivered tokens past their <c>seen_until</c>): one statement
/// takes at most a batch from the three together, in that order, so a batch that comes back short
/// has drained all three.
/// </summary>
public sealed class PostgresExpiredRowStore(NpgsqlDataSource dataSource) : IExpiredRowStore
{
    // The inner SELECT bounds the statement (never one unbounded DELETE) and walks the expires_at
    // index; SKIP LOCKED lets a concurrent sweep take other rows instead of waiting or double-counting.
    // Sessions take what the tokens left of the batch, received tokens what both left (the CTEs'
    // RETURNING rows are visible to the other parts of the statement), so a batch never exceeds its size.
    private const string DeleteBatchSql = """
        WITH tokens AS (
            DELETE FROM revoked_tokens
            WHERE (iss, jti) IN (
                SELECT iss, jti FROM revoked_tokens
                WHERE expires_at < $1
                ORDER BY expires_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            RETURNING 1),
        sessions AS (
            DELETE FROM revoked_sessions
            WHERE (iss, sid) IN (
                SELECT iss, sid FROM revoked_sessions
                WHERE expires_at < $1
                ORDER BY expires_at
                LIMIT GREATEST($2 - (SELECT count(*) FROM tokens), 0)
                FOR UPDATE SKIP LOCKED)
            RETURNING 1),
        received AS (
            DELETE FROM received_tokens
            WHERE (iss, jti) IN (
                SELECT iss, jti FROM received_tokens
                WHERE seen_until < $1
                ORDER BY seen_until
                LIMIT GREATEST($2 - (SELECT count(*) FROM tokens) - (SELECT count(*) FROM sessions), 0)
                FOR UPDATE SKIP LOCKED)
            RETURNING 1)
        SELECT (SELECT count(*) FROM tokens) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM received)
        """;

    public async Task<int> DeleteExpiredBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteBatchSql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
