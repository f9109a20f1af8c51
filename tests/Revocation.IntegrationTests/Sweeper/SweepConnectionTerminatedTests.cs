using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>
/// The database ends every connection of the registry (<c>pg_terminate_backend</c>, as a failover
/// or an operator would) between two batches of a sweep. The sweep that lost its connection stops
/// and says so — in its report, <c>revocation_sweeper_failures_total</c> and a last success that does
/// not move — and the next run finishes the job: every expired row deleted and counted exactly once,
/// no live row touched.
/// </summary>
public sealed class SweepConnectionTerminatedTests(SweepTerminationCluster registry) : IClassFixture<SweepTerminationCluster>
{
    private const int Expired = 1_000;
    private const int Live = 200;

    [Fact]
    public async Task ConnectionsTerminatedBetweenBatches_TheNextRunRecovers_EachRowDeletedOnce_NoLiveRowTouched()
    {
        await SeedAsync();
        var sweeper = registry.Client.GetGrain<ISweeperGrain>(ISweeperGrain.Key);
        using var counts = new SiloInstrumentCounts(
            [registry.Cluster.Silos[0].ServiceProvider],
            "revocation.sweeper.rows_deleted", "revocation.sweeper.batches", "revocation.sweeper.failures");
        var terminated = 0;
        registry.Store.AfterBatch = async batch =>
        {
            if (batch == 1)
            {
                terminated = await TerminateRegistryConnectionsAsync();
            }
        };

        var interrupted = await sweeper.RunAsync();
        registry.Store.AfterBatch = null;

        Assert.True(terminated > 0, "no connection of the registry was terminated");
        Assert.NotNull(interrupted.Error);
        Assert.False(interrupted.Drained);
        Assert.Equal(100, interrupted.RowsDeleted); // the first batch, committed before the connections went
        Assert.Equal(1, interrupted.Batches);
        Assert.Equal(1, counts["revocation.sweeper.failures"]);
        Assert.Null(await LastSuccessAsync());
        Assert.Equal(Expired - 100, await CountAsync("expired"));

        var recovered = await sweeper.RunAsync();

        Assert.Null(recovered.Error);
        Assert.True(recovered.Drained);
        Assert.Equal(Expired - 100, recovered.RowsDeleted);
        Assert.Equal(0, await CountAsync("expired"));
        Assert.Equal(Live, await CountAsync("live"));
        Assert.Equal(Expired, counts["revocation.sweeper.rows_deleted"]);
        Assert.Equal(1 + recovered.Batches, counts["revocation.sweeper.batches"]);
        Assert.Equal(1, counts["revocation.sweeper.failures"]);
        Assert.Equal(recovered, await sweeper.GetLastRunAsync());
        var lastSuccess = await LastSuccessAsync();
        Assert.NotNull(lastSuccess);
        Assert.InRange(lastSuccess.Value, recovered.StartedAt, recovered.FinishedAt.AddMilliseconds(1));
    }

    private Task SeedAsync() => TestPostgres.ExecuteAsync(registry.ConnectionString, $"""
        INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
        SELECT 'test-issuer', 'expired-' || g, now() - interval '1 hour' - g * interval '1 second', now() - interval '2 hours' FROM generate_series(1, {Expired}) AS g;
        INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
        SELECT 'test-issuer', 'live-' || g, now() + interval '1 hour', now() FROM generate_series(1, {Live}) AS g;
        """);

    /// <summary>Ends every other session on the registry's database and waits until they are gone; returns how many.</summary>
    private async Task<int> TerminateRegistryConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(registry.ConnectionString);
        await connection.OpenAsync();
        await using var terminate = new NpgsqlCommand("""
            SELECT coalesce(array_agg(pid) FILTER (WHERE pg_terminate_backend(pid)), '{}') FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            """, connection);
        var pids = (int[])(await terminate.ExecuteScalarAsync())!;
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(10), async () =>
        {
            await using var remaining = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)", connection) { Parameters = { new() { Value = pids } } };
            return (long)(await remaining.ExecuteScalarAsync())! == 0;
        }, () => "the terminated sessions did not end");

        // The test's own idle pooled connections were ended too: its next reads must not get one.
        NpgsqlConnection.ClearPool(connection);
        return pids.Length;
    }

    private Task<long> CountAsync(string prefix) =>
        TestPostgres.ScalarAsync<long>(registry.ConnectionString, $"SELECT count(*) FROM revoked_tokens WHERE jti LIKE '{prefix}-%'");

    private async Task<DateTimeOffset?> LastSuccessAsync() =>
        await TestPostgres.ScalarAsync<DateTime?>(registry.ConnectionString, "SELECT last_success_at FROM sweeper_state WHERE id = 1") is { } at
            ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
            : null;
}
