using Npgsql;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Rejuvenation;

namespace Revocation.IntegrationTests.Rejuvenation;

/// <summary>
/// The recycling coordinator against real PostgreSQL, with the silos it counts written straight
/// into <c>OrleansMembershipTable</c> (status 3 = Active, 6 = Dead).
/// </summary>
public sealed class RecycleTurnsTests : IAsyncLifetime
{
    private const string Cluster = "rejuvenation-test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);
    private NpgsqlDataSource _dataSource = null!;
    private PostgresRecycleTurns _turns = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await Databases.MigratedAsync("recycle");
        _turns = new PostgresRecycleTurns(_dataSource);
        await using var version = _dataSource.CreateCommand("INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES ($1)");
        version.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Cluster });
        await version.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task ManyContendersAtOnce_OnlyOneGetsTheTurn()
    {
        var silos = Enumerable.Range(0, 12).Select(i => Silo(i)).ToList();
        foreach (var silo in silos)
        {
            await JoinAsync(silo);
        }

        RecycleHolder? holder = null;
        for (var round = 0; round < 5; round++)
        {
            var answers = await Task.WhenAll(silos.Select(async silo => (silo, granted: await GrantedAsync(silo))));

            // The first round picks one holder; later rounds grant only it again (it already holds the
            // turn). A request cut off by its deadline (RequestTimeout: twelve at once on a loaded
            // machine) was rolled back and granted nothing; the silo would ask again at its next check.
            var granted = answers.Where(a => a.granted == true).Select(a => a.silo).ToList();
            Assert.True(granted.Count <= 1, $"round {round}: {granted.Count} contenders got the turn");
            if (granted is [var only])
            {
                holder ??= only;
                Assert.Equal(holder, only);
            }

            var open = await OpenTurnsAsync();
            Assert.True(open == granted.Count || (granted.Count == 0 && open <= 1), $"round {round}: {open} open turns, {granted.Count} granted"); // never two at once
        }

        Assert.NotNull(holder); // five rounds of twelve requests: someone got the turn
    }

    /// <summary>Whether <paramref name="silo"/> got the turn; <c>null</c> when its request ran past <see cref="PostgresRecycleTurns.RequestTimeout"/>.</summary>
    private async Task<bool?> GrantedAsync(RecycleHolder silo)
    {
        try
        {
            return (await Task.Run(() => _turns.TryTakeAsync(Cluster, silo, RecycleReason.MaxLifetime, maxConcurrent: 1, minSilos: 0, Long, CancellationToken.None))).Granted;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task MaxConcurrentTwo_GrantsExactlyTwo()
    {
        var silos = Enumerable.Range(0, 6).Select(i => Silo(i)).ToList();
        foreach (var silo in silos)
        {
            await JoinAsync(silo);
        }

        var answers = await Task.WhenAll(silos.Select(silo =>
            Task.Run(() => _turns.TryTakeAsync(Cluster, silo, RecycleReason.Memory, maxConcurrent: 2, minSilos: 0, Long, CancellationToken.None))));

        Assert.Equal(2, answers.Count(a => a.Granted));
        Assert.Equal(2, await OpenTurnsAsync());
    }

    [Fact]
    public async Task AskingAgainWhileHolding_IsGrantedWithoutASecondTurn()
    {
        var a = Silo(0);
        await JoinAsync(a);
        await JoinAsync(Silo(1));

        Assert.True((await TakeAsync(a)).Granted);
        Assert.True((await TakeAsync(a)).Granted);
        Assert.Equal(1, await OpenTurnsAsync());
    }

    [Fact]
    public async Task ExpiredTurn_IsTakenOverByTheNextSilo()
    {
        var a = Silo(0);
        var b = Silo(1);
        await JoinAsync(a);
        await JoinAsync(b);
        await JoinAsync(Silo(2));

        Assert.True((await TakeAsync(a, timeout: Long)).Granted);
        var early = await TakeAsync(b);

        var lasts = await ScalarAsync<TimeSpan>("SELECT expires_at - granted_at FROM recycle_turns WHERE holder_port = 11000");

        // Turns run on the database's clock: instead of waiting for it, the turn's end is moved to
        // the database's present, which every later statement has reached.
        await using (var end = _dataSource.CreateCommand("UPDATE recycle_turns SET expires_at = now() WHERE holder_port = 11000"))
        {
            await end.ExecuteNonQueryAsync();
        }

        var late = await TakeAsync(b);

        Assert.Equal(Long, lasts); // granted for its timeout
        Assert.False(early.Granted);
        Assert.Equal(1, early.HeldByOthers);
        Assert.True(late.Granted);
        Assert.Equal([a], late.Expired);
        Assert.Equal("expired", await ScalarAsync<string>("SELECT released_because FROM recycle_turns WHERE holder_port = 11000"));
    }

    [Fact]
    public async Task HolderBackWithANewerGeneration_EndsItsTurnOnceItServes()
    {
        var a = Silo(0);
        var b = Silo(1);
        await JoinAsync(a);
        await JoinAsync(b);
        await JoinAsync(Silo(2));
        Assert.True((await TakeAsync(a)).Granted);
        Assert.False((await TakeAsync(b)).Granted);

        await SetStatusAsync(a, 6);
        Assert.False((await TakeAsync(b)).Granted);
        var back = a with { Generation = a.Generation + 1 };
        await JoinAsync(back);

        // Active in the membership table is not yet serving (its HTTP side may still be starting):
        // the turn ends when the new process says it has started.
        var whileStarting = await TakeAsync(b);
        var returned = await _turns.ReturnAsync(Cluster, back, CancellationToken.None);
        var answer = await TakeAsync(b);

        Assert.False(whileStarting.Granted);
        Assert.Equal(1, returned.Released);
        Assert.True(answer.Granted);
        Assert.Empty(answer.Expired);
        Assert.Equal("returned", await ScalarAsync<string>("SELECT released_because FROM recycle_turns WHERE holder_port = 11000"));
        Assert.Equal(0, (await _turns.ReturnAsync(Cluster, back, CancellationToken.None)).Released);
    }

    [Fact]
    public async Task TooFewSilosStaying_Waits()
    {
        var a = Silo(0);
        var b = Silo(1);
        var c = Silo(2);
        await JoinAsync(a);
        await JoinAsync(b);
        await JoinAsync(c);
        await SetStatusAsync(c, 6);

        var blocked = await TakeAsync(a, minSilos: 2);
        await JoinAsync(c with { Generation = c.Generation + 1 });
        var granted = await TakeAsync(a, minSilos: 2);

        Assert.False(blocked.Granted);
        Assert.Equal(1, blocked.OtherActiveSilos);
        Assert.True(granted.Granted);
        Assert.Equal(2, granted.OtherActiveSilos);
    }

    [Fact]
    public async Task ASiloThatIsRecycling_DoesNotCountAsStaying()
    {
        var a = Silo(0);
        var b = Silo(1);
        await JoinAsync(a);
        await JoinAsync(b);
        await JoinAsync(Silo(2));
        Assert.True((await TakeAsync(a, maxConcurrent: 2, minSilos: 1)).Granted);

        var second = await TakeAsync(b, maxConcurrent: 2, minSilos: 2);

        Assert.False(second.Granted);
        Assert.Equal(1, second.OtherActiveSilos);
    }

    [Fact]
    public async Task OtherClustersTurns_DoNotCount()
    {
        var a = Silo(0);
        await JoinAsync(a);
        await JoinAsync(Silo(1));
        Assert.True((await TakeAsync(a)).Granted);

        var otherCluster = await _turns.TryTakeAsync("another-cluster", Silo(5), RecycleReason.MaxLifetime, 1, minSilos: 0, Long, CancellationToken.None);

        Assert.True(otherCluster.Granted);
    }

    [Fact]
    public async Task Return_CountsTheTurnsOfEarlierProcessesAtTheSameAddressAndPort()
    {
        var first = Silo(0);
        await JoinAsync(first);
        await JoinAsync(Silo(1));
        Assert.True((await TakeAsync(first, minSilos: 0)).Granted);
        var second = first with { Generation = first.Generation + 1 };
        await JoinAsync(second);
        Assert.Equal(1, (await _turns.ReturnAsync(Cluster, second, CancellationToken.None)).Released);
        Assert.True((await _turns.TryTakeAsync(Cluster, second, RecycleReason.Memory, 1, minSilos: 0, Long, CancellationToken.None)).Granted);
        var third = first with { Generation = first.Generation + 2 };
        await JoinAsync(third);
        Assert.Equal(1, (await _turns.ReturnAsync(Cluster, third, CancellationToken.None)).Released);
        Assert.True((await TakeAsync(Silo(1), minSilos: 0)).Granted);
        Assert.True((await _turns.TryTakeAsync("another-cluster", first, RecycleReason.MaxLifetime, 1, minSilos: 0, Long, CancellationToken.None)).Granted);

        var afterTwo = (await _turns.ReturnAsync(Cluster, third, CancellationToken.None)).EarlierRecycles;
        var afterOne = (await _turns.ReturnAsync(Cluster, second, CancellationToken.None)).EarlierRecycles;

        Assert.Equal(new Dictionary<string, long> { [RecycleReason.MaxLifetime] = 1, [RecycleReason.Memory] = 1 }, afterTwo);
        Assert.Equal(new Dictionary<string, long> { [RecycleReason.MaxLifetime] = 1 }, afterOne);
        Assert.Empty((await _turns.ReturnAsync(Cluster, first, CancellationToken.None)).EarlierRecycles);
    }

    private static RecycleHolder Silo(int index) => new("127.0.0.1", 11000 + index, 1000);

    private Task<TurnAnswer> TakeAsync(RecycleHolder silo, int maxConcurrent = 1, int minSilos = 1, TimeSpan? timeout = null) =>
        _turns.TryTakeAsync(Cluster, silo, RecycleReason.MaxLifetime, maxConcurrent, minSilos, timeout ?? Long, CancellationToken.None);

    private async Task JoinAsync(RecycleHolder silo)
    {
        await using var insert = _dataSource.CreateCommand("""
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
            VALUES ($1, $2, $3, $4, 'silo', 'host', 3, 0, now(), now())
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Cluster });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = silo.Address });
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Port });
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Generation });
        await insert.ExecuteNonQueryAsync();
    }

    private async Task SetStatusAsync(RecycleHolder silo, int status)
    {
        await using var update = _dataSource.CreateCommand("UPDATE OrleansMembershipTable SET Status = $1 WHERE Port = $2 AND Generation = $3");
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = status });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Port });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Generation });
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    private async Task<long> OpenTurnsAsync() => await ScalarAsync<long>("SELECT count(*) FROM recycle_turns WHERE released_at IS NULL");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
