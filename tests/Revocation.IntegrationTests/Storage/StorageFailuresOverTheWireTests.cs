using System.Diagnostics;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Storage;

/// <summary>
/// One silo on a database of its own, whose tables a test may hide (rename) for a moment: every
/// statement on a hidden table fails with a real <c>PostgresException</c> (42P01), through the real
/// driver and Orleans' own ADO.NET providers.
/// </summary>
public sealed class HiddenTableCluster() : RegistryCluster(1, new Dictionary<string, string?> { ["Sweeper:DueTime"] = "01:00:00" })
{
    /// <summary>Renames <paramref name="table"/> until the result is disposed.</summary>
    public async Task<IAsyncDisposable> HideAsync(string table)
    {
        await TestPostgres.ExecuteAsync(ConnectionString, $"ALTER TABLE {table} RENAME TO {table}_hidden");
        return new Restore(ConnectionString, table);
    }

    private sealed class Restore(string connectionString, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await TestPostgres.ExecuteAsync(connectionString, $"ALTER TABLE {table}_hidden RENAME TO {table}");
    }
}

/// <summary>
/// A storage failure inside a grain reaches a client at once, as the registry's own serializable
/// exception. The driver's exceptions have no Orleans codec: before, the silo logged "Could not find a
/// codec for type Npgsql.PostgresException" and the caller got that serialization error in place of
/// the failure: it could not tell a storage failure from a bug. Each test fails that way without the
/// translation, and each call is answered well before its response timeout.
/// </summary>
[Collection(WallClockBoundsCollection.Name)]
public sealed class StorageFailuresOverTheWireTests(HiddenTableCluster registry) : IClassFixture<HiddenTableCluster>
{
    /// <summary>Well under the response timeout (30 s); measured: well under a second.</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task TokenCheck_WhenItsTableIsGone_FailsPromptly_WithRegistryStorageException()
    {
        var token = registry.Client.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("gone"));
        await using (await registry.HideAsync("revoked_tokens"))
        {
            await AssertFailsPromptlyAsync(() => token.IsRevokedAsync().AsTask());
            await AssertFailsPromptlyAsync(() => token.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "logout"));
        }
    }

    [Fact]
    public async Task SubjectActivation_WhenItsStateCannotBeRead_FailsPromptly_WithRegistryStorageException()
    {
        var subject = registry.Client.GetSubjectGrain(TestTokens.Issuer, $"gone-{Guid.NewGuid():N}");
        await using (await registry.HideAsync("orleansstorage"))
        {
            await AssertFailsPromptlyAsync(() => subject.GetStatusAsync().AsTask());
        }
    }

    [Fact]
    public async Task SweeperSchedule_WhenTheReminderTableIsGone_FailsPromptly_WithRegistryStorageException()
    {
        // The schedule is silo-internal (clients are refused): asked as a starting silo asks.
        var sweeper = registry.SiloGrains(0).GetGrain<Revocation.Grains.ISweeperSchedule>(ISweeperGrain.Key);
        await using (await registry.HideAsync("orleansreminderstable"))
        {
            await AssertFailsPromptlyAsync(sweeper.EnsureScheduledAsync);
        }

        await sweeper.EnsureScheduledAsync();
    }

    /// <summary>
    /// The call fails well before the response timeout, with a <see cref="RegistryStorageException"/>:
    /// thrown by the grain, or carried by Orleans' own exception when the activation itself failed.
    /// </summary>
    private async Task AssertFailsPromptlyAsync(Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        var failure = await Record.ExceptionAsync(() => call().WaitAsync(Promptly + Promptly));
        clock.Stop();

        Assert.NotNull(failure);
        Assert.False(failure is TimeoutException, $"the call was not answered: {failure}");
        Assert.True(clock.Elapsed < Promptly, $"the call failed after {clock.Elapsed}: {failure}");
        var storage = Chain(failure).OfType<RegistryStorageException>().FirstOrDefault();
        Assert.True(storage is not null, $"no RegistryStorageException in {failure}");
        Assert.DoesNotContain(registry.ConnectionString, failure.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }
}
