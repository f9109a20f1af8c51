using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Revocation.Abstractions;
using Revocation.Grains.Received;

namespace Revocation.Silo.Storage;

/// <summary>
/// The <c>received_tokens</c> table (migration 0011). Deliveries are rare next to checks, so each
/// call is one statement of its own, bounded and retried like every store call (<see cref="BoundedStatements"/>).
/// </summary>
public sealed class PostgresReceivedTokenStore(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options) : IReceivedTokenStore
{
    private const string FindSql = "SELECT seen_until FROM received_tokens WHERE iss = $1 AND jti = $2 AND seen_until > $3";

    // GREATEST: a late record of the same token (a claim that lapsed and went to another delivery) never shortens it.
    private const string RecordSql = """
        INSERT INTO received_tokens AS r (iss, jti, seen_until) VALUES ($1, $2, $3)
        ON CONFLICT ON CONSTRAINT received_tokens_pk DO UPDATE
            SET seen_until = GREATEST(r.seen_until, EXCLUDED.seen_until)
        """;

    private readonly BoundedStatements _bounded = new(options);

    public Task<DateTimeOffset?> FindSeenUntilAsync(IssuerKey token, DateTimeOffset now, CancellationToken cancellationToken) =>
        _bounded.RunAsync(async ct =>
        {
            await using var command = Command(FindSql, token, now);
            return await command.ExecuteScalarAsync(ct) is DateTime seenUntil
                ? new DateTimeOffset(DateTime.SpecifyKind(seenUntil, DateTimeKind.Utc))
                : (DateTimeOffset?)null;
        }, cancellationToken);

    public Task RecordAsync(IssuerKey token, DateTimeOffset seenUntil, CancellationToken cancellationToken) =>
        _bounded.RunAsync(async ct =>
        {
            await using var command = Command(RecordSql, token, seenUntil);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    private NpgsqlCommand Command(string sql, IssuerKey token, DateTimeOffset at)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = token.Issuer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = token.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
