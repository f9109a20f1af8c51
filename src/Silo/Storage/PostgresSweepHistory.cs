using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>The sweeper's last success in <c>sweeper_state</c> (one row), bounded like every store call.</summary>
public sealed class PostgresSweepHistory(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options) : ISweepHistory
{
    // GREATEST: two sweeps after a failover may finish in either order.
    private const string RecordSql = """
        INSERT INTO sweeper_state AS s (id, last_success_at) VALUES (1, $1)
        ON CONFLICT ON CONSTRAINT sweeper_state_pk DO UPDATE
            SET last_success_at = GREATEST(s.last_success_at, EXCLUDED.last_success_at)
        """;

    private const string ReadSql = "SELECT last_success_at FROM sweeper_state WHERE id = 1";

    private readonly BoundedStatements _bounded = new(options);

    public Task RecordSuccessAsync(DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        _bounded.RunAsync(async ct =>
        {
            await using var command = dataSource.CreateCommand(RecordSql);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = finishedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public DateTimeOffset? ReadLastSuccess()
    {
        using var command = dataSource.CreateCommand(ReadSql);
        // Npgsql's synchronous timeout is in whole seconds: round Database:CommandTimeout up.
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(options.Value.CommandTimeout.TotalSeconds));
        return command.ExecuteScalar() is DateTime value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }
}
