using Npgsql;

namespace Revocation.EndToEndTests.Rejuvenation;

/// <summary>One row of <c>recycle_turns</c>: a silo's turn to recycle, as the coordinator recorded it.</summary>
public sealed record RecycleTurnRow(int Port, string Reason, DateTime GrantedAt, DateTime ExpiresAt, DateTime? ReleasedAt, string? ReleasedBecause)
{
    /// <summary>When the turn ended; an open turn lasts as far as anyone knows.</summary>
    public DateTime End => ReleasedAt ?? DateTime.MaxValue;

    public static async Task<List<RecycleTurnRow>> ReadAllAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT holder_port, reason, granted_at, expires_at, released_at, released_because FROM recycle_turns ORDER BY granted_at, id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<RecycleTurnRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new RecycleTurnRow(reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2), reader.GetDateTime(3),
                reader.IsDBNull(4) ? null : reader.GetDateTime(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return rows;
    }

    /// <summary>The most turns open at the same instant over the whole history.</summary>
    public static int MaxOverlap(IReadOnlyList<RecycleTurnRow> rows) =>
        rows.Count == 0 ? 0 : rows.Max(turn => rows.Count(other => other.GrantedAt <= turn.GrantedAt && turn.GrantedAt < other.End));
}
