using Npgsql;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Gaps;

/// <summary>
/// Holds the revocation write of jtis starting with <see cref="Prefix"/> inside PostgreSQL: a trigger
/// makes their upsert wait for an advisory lock this object holds until released or disposed.
/// Other rows never wait.
/// </summary>
public sealed class HeldRevocationWrite : IAsyncDisposable
{
    public const string Prefix = "held-write-";

    // Any fixed number that nothing else in the registry locks.
    private const long LockKey = 0x57524954; // "WRIT"

    private readonly NpgsqlConnection _holder;
    private readonly string _connectionString;

    private HeldRevocationWrite(NpgsqlConnection holder, string connectionString)
    {
        _holder = holder;
        _connectionString = connectionString;
    }

    public static async Task<HeldRevocationWrite> StartAsync(string connectionString)
    {
        await TestPostgres.ExecuteAsync(connectionString, $$"""
            CREATE OR REPLACE FUNCTION test_hold_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF NEW.jti LIKE '{{Prefix}}%' THEN
                    PERFORM pg_advisory_xact_lock({{LockKey}});
                END IF;
                RETURN NEW;
            END
            $fn$;
            CREATE OR REPLACE TRIGGER test_hold_write BEFORE INSERT OR UPDATE ON revoked_tokens
                FOR EACH ROW EXECUTE FUNCTION test_hold_write();
            """);
        var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", holder);
        await take.ExecuteNonQueryAsync();
        return new HeldRevocationWrite(holder, connectionString);
    }

    /// <summary>Returns once a write is waiting for the lock: the revocation reached the database and is held there.</summary>
    public Task WaitUntilAWriteWaitsAsync() => Eventually.HoldsAsync(
        TimeSpan.FromSeconds(15),
        async () => await TestPostgres.ScalarAsync<long>(_connectionString,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = $1", LockKey) > 0,
        () => "no revocation write waited for the held lock",
        TimeSpan.FromMilliseconds(50));

    /// <summary>Lets the held write commit.</summary>
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
