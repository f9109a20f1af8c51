namespace Revocation.IntegrationTests.Fixtures;

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

    private readonly AdvisoryLockHold _lock;

    private HeldRevocationWrite(AdvisoryLockHold held) => _lock = held;

    public static async Task<HeldRevocationWrite> StartAsync(string connectionString) =>
        new(await AdvisoryLockHold.HoldRowsAsync(connectionString, "test_hold_write", "INSERT OR UPDATE", Prefix, LockKey));

    /// <summary>Returns once a write is waiting for the lock: the revocation reached the database and is held there.</summary>
    public Task WaitUntilAWriteWaitsAsync() => _lock.WaitUntilSomeoneWaitsAsync("no revocation write waited for the held lock");

    public ValueTask DisposeAsync() => _lock.DisposeAsync();
}
