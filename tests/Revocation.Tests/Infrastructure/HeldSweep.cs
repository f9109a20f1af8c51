using Npgsql;

namespace Revocation.Tests.Infrastructure;

/// <summary>
/// Holds the sweeper inside its DELETE for as long as a test wants: a trigger makes deleting a row
/// whose jti starts with <see cref="Prefix"/> wait for an advisory lock that this object holds
/// until it is released or disposed. Only those rows are affected; other writes never wait.
/// </summary>
public sealed class HeldSweep : IAsyncDisposable
{
    public const string Prefix = "held-sweep-";

    // Any fixed number that nothing else in the registry locks.
    private const long LockKey = 0x48454C44; // "HELD"

    private readonly NpgsqlConnection _holder;
    private readonly string _connectionString;

    private HeldSweep(NpgsqlConnection holder, string connectionString)
    {
        _holder = holder;
        _connectionString = connectionString;
    }

    /// <summary>Installs the trigger (once per database), adds one expired row for a sweep to stumble on, and takes the lock.</summary>
    public static async Task<HeldSweep> StartAsync(string connectionString)
    {
        await TestPostgres.ExecuteAsync(connectionString, $$"""
            CREATE OR REPLACE FUNCTION test_hold_sweep() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF OLD.jti LIKE '{{Prefix}}%' THEN
                    PERFORM pg_advisory_xact_lock({{LockKey}});
                END IF;
                RETURN OLD;
            END
            $fn$;
            CREATE OR REPLACE TRIGGER test_hold_sweep BEFORE DELETE ON revoked_tokens
                FOR EACH ROW EXECUTE FUNCTION test_hold_sweep();
            INSERT INTO revoked_tokens (jti, expires_at, revoked_at)
                VALUES ('{{Prefix}}' || gen_random_uuid(), now() - interval '1 day', now() - interval '2 days');
            """);
        var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", holder);
        await take.ExecuteNonQueryAsync();
        return new HeldSweep(holder, connectionString);
    }

    /// <summary>Returns once a DELETE is waiting for the lock: the sweep is running and held.</summary>
    public Task WaitUntilASweepWaitsAsync() => Eventually.HoldsAsync(
        TimeSpan.FromSeconds(15),
        async () => await TestPostgres.ScalarAsync<long>(_connectionString,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = $1", LockKey) > 0,
        () => "no sweep waited for the held row",
        TimeSpan.FromMilliseconds(50));

    /// <summary>Lets the held sweep go on.</summary>
    public async Task ReleaseAsync()
    {
        if (_holder.State == System.Data.ConnectionState.Open)
        {
            // Closing alone would hand the session, lock and all, back to the pool.
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", _holder);
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
