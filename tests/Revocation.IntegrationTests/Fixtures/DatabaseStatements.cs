using Npgsql;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// The statements one database ran while an action ran, by pg_stat_statements: snapshots before
/// and after, compared, never reset (<c>pg_stat_statements_reset()</c> is server-wide, and other
/// tests measure their own databases at the same time). The snapshots are read through a
/// connection to a database of their own, so reading them is never counted in the database measured.
/// </summary>
public static class DatabaseStatements
{
    /// <summary>The database the snapshots are read from; pg_stat_statements' view lives there.</summary>
    private static readonly Lazy<Task<string>> Observer = new(CreateObserverAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Runs <paramref name="action"/> and returns each statement the database of
    /// <paramref name="connectionString"/> ran meanwhile, with how often. pg_stat_statements evicts
    /// its least used entries when full (other tests' databases fill it), which can lose counts: a
    /// measurement during which it evicted is not trusted, and <paramref name="action"/> runs again,
    /// up to <paramref name="attempts"/> times in all — it must be repeatable.
    /// </summary>
    public static async Task<IReadOnlyList<(string Query, long Calls)>> DuringAsync(string connectionString, Func<Task> action, int attempts = 5)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await using var connection = new NpgsqlConnection(await Observer.Value);
        await connection.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            var evictionsBefore = await EvictionsAsync(connection);
            var before = await CallsAsync(connection, database);
            await action();
            var after = await CallsAsync(connection, database);
            if (await EvictionsAsync(connection) == evictionsBefore)
            {
                return
                [
                    .. after
                        .Select(a => (a.Value.Query, Calls: a.Value.Calls - (before.TryGetValue(a.Key, out var b) ? b.Calls : 0)))
                        .Where(s => s.Calls > 0),
                ];
            }

            Assert.True(attempt < attempts,
                $"pg_stat_statements evicted entries during each of {attempts} measurements of {database} (pg_stat_statements.max too small for this run): no count could be trusted.");
        }
    }

    /// <summary>Every statement recorded so far for <paramref name="database"/>, with its calls.</summary>
    private static async Task<Dictionary<(long User, long QueryId, bool TopLevel), (string Query, long Calls)>> CallsAsync(
        NpgsqlConnection connection, string database)
    {
        await using var command = new NpgsqlCommand("""
            SELECT s.userid::bigint, s.queryid, s.toplevel, s.query, s.calls
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = $1
            """, connection);
        command.Parameters.AddWithValue(database);
        var statements = new Dictionary<(long, long, bool), (string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statements[(reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2))] = (reader.GetString(3), reader.GetInt64(4));
        }

        return statements;
    }

    /// <summary>How often pg_stat_statements has evicted entries (server-wide, since its last reset).</summary>
    private static async Task<long> EvictionsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT dealloc FROM pg_stat_statements_info", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> CreateObserverAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("statements");
        await TestPostgres.ExecuteAsync(connectionString, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        return connectionString;
    }
}
