using Npgsql;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// A PostgreSQL advisory lock held by a test on a connection of its own, for a trigger to wait on
/// (<see cref="HeldSweep"/>): whatever the trigger guards stops in the database until released.
/// </summary>
public sealed class AdvisoryLockHold : IAsyncDisposable
{
    private readonly NpgsqlConnection _holder;
    private readonly string _connectionString;
    private readonly long _key;

    private AdvisoryLockHold(NpgsqlConnection holder, string connectionString, long key)
    {
        _holder = holder;
        _connectionString = connectionString;
        _key = key;
    }

    public static async Task<AdvisoryLockHold> TakeAsync(string connectionString, long key)
    {
        var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", holder);
        await take.ExecuteNonQueryAsync();
        return new AdvisoryLockHold(holder, connectionString, key);
    }

    /// <summary>
    /// Makes <paramref name="operation"/> on the <c>revoked_tokens</c> rows whose jti starts with
    /// <paramref name="prefix"/> wait for lock <paramref name="key"/> (a trigger, installed once per
    /// database), then takes that lock: such writes stop in the database until it is released.
    /// </summary>
    /// <param name="trigger">The trigger's (and its function's) name.</param>
    /// <param name="operation"><c>DELETE</c>, or <c>INSERT OR UPDATE</c>.</param>
    public static async Task<AdvisoryLockHold> HoldRowsAsync(string connectionString, string trigger, string operation, string prefix, long key)
    {
        var row = operation == "DELETE" ? "OLD" : "NEW";
        await TestPostgres.ExecuteAsync(connectionString, $$"""
            CREATE OR REPLACE FUNCTION {{trigger}}() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF {{row}}.jti LIKE '{{prefix}}%' THEN
                    PERFORM pg_advisory_xact_lock({{key}});
                END IF;
                RETURN {{row}};
            END
            $fn$;
            CREATE OR REPLACE TRIGGER {{trigger}} BEFORE {{operation}} ON revoked_tokens
                FOR EACH ROW EXECUTE FUNCTION {{trigger}}();
            """);
        return await TakeAsync(connectionString, key);
    }

    /// <summary>Returns once a session waits for the lock; fails naming <paramref name="nothingWaited"/> after 15 s.</summary>
    public Task WaitUntilSomeoneWaitsAsync(string nothingWaited) => Eventually.HoldsAsync(
        TimeSpan.FromSeconds(15),
        async () => await TestPostgres.ScalarAsync<long>(_connectionString,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = $1", _key) > 0,
        () => nothingWaited,
        TimeSpan.FromMilliseconds(50));

    /// <summary>Lets whatever waits go on.</summary>
    public async Task ReleaseAsync()
    {
        if (_holder.State == System.Data.ConnectionState.Open)
        {
            // Closing alone would hand the session, lock and all, back to the pool.
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({_key})", _holder);
            await release.ExecuteNonQueryAsync();
            await _holder.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await _holder.DisposeAsync();
    }
}
