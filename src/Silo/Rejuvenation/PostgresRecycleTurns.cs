using Npgsql;
using NpgsqlTypes;

namespace Revocation.Silo.Rejuvenation;

/// <summary>
/// The cluster-wide coordinator of recycling: turns in <c>recycle_turns</c>, on the database every
/// silo already shares (migration 0006). There is no coordinating process that could crash: each
/// request is one transaction that first takes an advisory lock for the cluster, so requests are
/// decided one after the other on the database's clock, and the state they decide on — open turns
/// and active silos in <c>OrleansMembershipTable</c> — is read inside that lock. A turn ends when the
/// process that replaced its holder has started — an Active member whose readiness checks pass —
/// and releases it (<see cref="ReturnAsync"/>); one whose holder died ends on its own
/// when it expires.
/// </summary>
public sealed class PostgresRecycleTurns(NpgsqlDataSource dataSource)
{
    /// <summary>The longest one request may take; a request that times out grants nothing (its transaction rolls back).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    // Two-key form: the first key keeps this lock apart from the migrator's single-key one.
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtext('recycle_turns'), hashtext($1))";

    // Turns of earlier processes at the caller's address and port: the caller replaced them. (Not
    // "a newer generation is Active in the membership table": a silo is Active there before its
    // HTTP side serves, and the next turn granted in that gap had two silos unready at once.)
    private const string ReleaseReturnedSql = """
        UPDATE recycle_turns SET released_at = now(), released_because = 'returned'
        WHERE cluster_id = $1 AND holder_address = $2 AND holder_port = $3 AND holder_generation < $4 AND released_at IS NULL
        """;

    private const string ReleaseExpiredSql = """
        UPDATE recycle_turns SET released_at = now(), released_because = 'expired'
        WHERE cluster_id = $1 AND released_at IS NULL AND expires_at <= now()
        RETURNING holder_address, holder_port, holder_generation
        """;

    private const string OpenTurnsSql = """
        SELECT count(*) FILTER (WHERE NOT (holder_address = $2 AND holder_port = $3 AND holder_generation = $4)),
               count(*) FILTER (WHERE holder_address = $2 AND holder_port = $3 AND holder_generation = $4)
        FROM recycle_turns WHERE cluster_id = $1 AND released_at IS NULL
        """;

    // A silo that holds a turn is leaving: it does not count towards the ones that stay.
    private const string OtherActiveSql = """
        SELECT count(*) FROM OrleansMembershipTable m
        WHERE m.DeploymentId = $1 AND m.Status = 3
          AND NOT (m.Address = $2 AND m.Port = $3 AND m.Generation = $4)
          AND NOT EXISTS (
            SELECT 1 FROM recycle_turns t
            WHERE t.cluster_id = m.DeploymentId AND t.released_at IS NULL AND t.holder_address = m.Address
              AND t.holder_port = m.Port AND t.holder_generation = m.Generation)
        """;

    // Earlier generations of the same address and port: the processes this one replaced.
    private const string EarlierRecyclesSql = """
        SELECT reason, count(*) FROM recycle_turns
        WHERE cluster_id = $1 AND holder_address = $2 AND holder_port = $3 AND holder_generation < $4
        GROUP BY reason
        """;

    private const string GrantSql = """
        INSERT INTO recycle_turns (cluster_id, holder_address, holder_port, holder_generation, reason, granted_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, now(), now() + $6)
        """;

    /// <summary>
    /// Grants <paramref name="holder"/> a turn if fewer than <paramref name="maxConcurrent"/> are open
    /// and at least <paramref name="minSilos"/> other active silos stay; asking again while holding
    /// one answers granted (a lost reply is harmless).
    /// </summary>
    public async Task<TurnAnswer> TryTakeAsync(
        string clusterId, RecycleHolder holder, string reason, int maxConcurrent, int minSilos, TimeSpan turnTimeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        var ct = deadline.Token;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(Command(connection, transaction, LockSql, clusterId), ct);

        var expired = new List<RecycleHolder>();
        await using (var release = Command(connection, transaction, ReleaseExpiredSql, clusterId))
        await using (var reader = await release.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                expired.Add(new RecycleHolder(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
        }

        long heldByOthers, heldByMe;
        await using (var open = Command(connection, transaction, OpenTurnsSql, clusterId, holder.Address, holder.Port, holder.Generation))
        await using (var reader = await open.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            heldByOthers = reader.GetInt64(0);
            heldByMe = reader.GetInt64(1);
        }

        await using var active = Command(connection, transaction, OtherActiveSql, clusterId, holder.Address, holder.Port, holder.Generation);
        var otherActive = (long)(await active.ExecuteScalarAsync(ct))!;

        var granted = heldByMe > 0;
        if (!granted && heldByOthers < maxConcurrent && otherActive >= minSilos)
        {
            await using var grant = Command(connection, transaction, GrantSql, clusterId, holder.Address, holder.Port, holder.Generation, reason);
            grant.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = turnTimeout, NpgsqlDbType = NpgsqlDbType.Interval });
            await grant.ExecuteNonQueryAsync(ct);
            granted = true;
        }

        await transaction.CommitAsync(ct);
        return new TurnAnswer(granted, (int)heldByOthers, (int)otherActive, expired);
    }

    /// <summary>
    /// Called by a silo process once it has started (an Active member whose readiness checks pass):
    /// ends the turn, if any, of the process it replaced at the same address and port, and counts
    /// by reason the turns that earlier processes there took — the recycles that led to this one.
    /// </summary>
    public async Task<(int Released, IReadOnlyDictionary<string, long> EarlierRecycles)> ReturnAsync(
        string clusterId, RecycleHolder holder, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        var ct = deadline.Token;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var release = Command(connection, transaction, ReleaseReturnedSql, clusterId, holder.Address, holder.Port, holder.Generation);
        var released = await release.ExecuteNonQueryAsync(ct);

        var counts = new Dictionary<string, long>();
        await using (var earlier = Command(connection, transaction, EarlierRecyclesSql, clusterId, holder.Address, holder.Port, holder.Generation))
        await using (var reader = await earlier.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await transaction.CommitAsync(ct);
        return (released, counts);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string clusterId, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static async Task ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
