using Npgsql;
using NpgsqlTypes;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>Bounded deletes of expired rows from <c>revoked_tokens</c>.</summary>
public sealed class PostgresExpiredRowStore(NpgsqlDataSource dataSource) : IExpiredRowStore
{
    // The inner SELECT bounds the statement (never one unbounded DELETE) and walks the expires_at
    // index; SKIP LOCKED lets a concurrent sweep take other rows instead of waiting or double-counting.
    private const string DeleteBatchSql = """
        DELETE FROM revoked_tokens
        WHERE (iss, jti) IN (
            SELECT iss, jti FROM revoked_tokens
            WHERE expires_at < $1
            ORDER BY expires_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        """;

    public async Task<int> DeleteExpiredBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteBatchSql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
