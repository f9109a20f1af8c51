namespace Revocation.IntegrationTests.Fixtures;

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

    private readonly AdvisoryLockHold _lock;

    private HeldSweep(AdvisoryLockHold held) => _lock = held;

    /// <summary>Installs the trigger (once per database), adds one expired row for a sweep to stumble on, and takes the lock.</summary>
    public static async Task<HeldSweep> StartAsync(string connectionString)
    {
        var held = await AdvisoryLockHold.HoldRowsAsync(connectionString, "test_hold_sweep", "DELETE", Prefix, LockKey);
        await TestPostgres.ExecuteAsync(connectionString, $"""
            INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
                VALUES ('test-issuer', '{Prefix}' || gen_random_uuid(), now() - interval '1 day', now() - interval '2 days')
            """);
        return new HeldSweep(held);
    }

    /// <summary>Returns once a DELETE is waiting for the lock: the sweep is running and held.</summary>
    public Task WaitUntilASweepWaitsAsync() => _lock.WaitUntilSomeoneWaitsAsync("no sweep waited for the held row");

    /// <summary>Lets the held sweep go on.</summary>
    public Task ReleaseAsync() => _lock.ReleaseAsync();

    public ValueTask DisposeAsync() => _lock.DisposeAsync();
}
