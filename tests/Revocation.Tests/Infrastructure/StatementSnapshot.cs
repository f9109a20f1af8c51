using Npgsql;

namespace Revocation.Tests.Infrastructure;

/// <summary>
/// Every statement pg_stat_statements recorded for one database, with its calls so far. Read
/// through a connection to a database of its own, so that taking a snapshot is never counted in
/// the database it measures; compared, never reset (<c>pg_stat_statements_reset()</c> is
/// server-wide, and other tests measure their own databases at the same time).
/// </summary>
public sealed class StatementSnapshot
{
    /// <summary>The database the snapshots are read from; pg_stat_statements' view lives there.</summary>
    private static readonly Lazy<Task<string>> Observer = new(CreateObserverAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _database;
    private readonly Dictionary<(long User, long QueryId, bool TopLevel), (string Query, long Calls)> _statements;

    private StatementSnapshot(string database, Dictionary<(long, long, bool), (string, long)> statements)
    {
        _database = database;
        _statements = statements;
    }

    /// <summary>The statements recorded so far in the database of <paramref name="connectionString"/>.</summary>
    public static async Task<StatementSnapshot> TakeAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await using var connection = new NpgsqlConnection(await Observer.Value);
        await connection.OpenAsync();
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

        return new StatementSnapshot(database, statements);
    }

    /// <summary>
    /// The statements run in this database between <paramref name="before"/> and this snapshot, with
    /// how often each ran. pg_stat_statements evicts its least used entries when it is full: an
    /// entry of this database that shrank or vanished makes the comparison fail rather than under-count.
    /// </summary>
    public IReadOnlyList<(string Query, long Calls)> CallsSince(StatementSnapshot before)
    {
        if (before._database != _database)
        {
            throw new ArgumentException($"Snapshots of different databases ({before._database}, {_database}).", nameof(before));
        }

        var evicted = before._statements
            .Where(b => !_statements.TryGetValue(b.Key, out var after) || after.Calls < b.Value.Calls)
            .Select(b => b.Value.Query)
            .ToList();
        Assert.True(evicted.Count == 0,
            $"pg_stat_statements evicted entries of {_database} between the snapshots (its pg_stat_statements.max is too small for this run); "
            + $"the counts cannot be trusted. Evicted: {string.Join(" | ", evicted)}");

        return
        [
            .. _statements
                .Select(a => (a.Value.Query, Calls: a.Value.Calls - (before._statements.TryGetValue(a.Key, out var b) ? b.Calls : 0)))
                .Where(s => s.Calls > 0),
        ];
    }

    private static async Task<string> CreateObserverAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("statements");
        await TestPostgres.ExecuteAsync(connectionString, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        return connectionString;
    }
}
