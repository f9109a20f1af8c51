using System.Diagnostics;
using Revocation.Silo.Storage;

namespace Revocation.UnitTests.Storage;

/// <summary>
/// Group commits: requests leave together only while every runner is busy, each completes only
/// with the statement that carried it, and one failed statement fails exactly the requests it carried.
/// </summary>
public sealed class StatementBatcherTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ARequestAlone_LeavesAtOnce_WithoutWaitingForOthers()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 1);

        Assert.Equal("A", await batcher.RunAsync("a", CancellationToken.None).WaitAsync(Long));

        Assert.Equal([["a"]], database.Statements);
    }

    [Fact]
    public async Task WhileEveryRunnerIsBusy_RequestsQueue_AndLeaveTogetherInOneStatement()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 1);
        var gate = database.HoldNextStatement();
        var first = batcher.RunAsync("first", CancellationToken.None);
        await database.Started(1);

        var queued = Enumerable.Range(0, 10).Select(i => batcher.RunAsync($"r{i}", CancellationToken.None)).ToList();
        Assert.All(queued, task => Assert.False(task.IsCompleted));
        gate.SetResult();

        Assert.Equal("FIRST", await first.WaitAsync(Long));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"R{i}"), await Task.WhenAll(queued).WaitAsync(Long));
        Assert.Equal(2, database.Statements.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}"), database.Statements[1]);
    }

    [Fact]
    public async Task AStatementCarriesAtMostMaxBatch()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 10, maxRunners: 1);
        var gate = database.HoldNextStatement();
        var first = batcher.RunAsync("first", CancellationToken.None);
        await database.Started(1);
        var queued = Enumerable.Range(0, 25).Select(i => batcher.RunAsync($"r{i}", CancellationToken.None)).ToList();
        gate.SetResult();

        await Task.WhenAll(queued.Append(first)).WaitAsync(Long);

        Assert.Equal([1, 10, 10, 5], database.Statements.Select(s => s.Count));
    }

    [Fact]
    public async Task RunnersUpToTheLimit_RunStatementsSideBySide()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 3);
        var gates = Enumerable.Range(0, 3).Select(_ => database.HoldNextStatement()).ToList();

        var tasks = new List<Task<string>>();
        for (var i = 0; i < 3; i++)
        {
            // One at a time: requests made together would leave together in one statement.
            tasks.Add(batcher.RunAsync($"r{i}", CancellationToken.None));
            await database.Started(1);
        }

        var fourth = batcher.RunAsync("r3", CancellationToken.None);
        await Task.Delay(50);

        Assert.Equal(3, database.StartedCount);
        gates.ForEach(g => g.SetResult());
        await Task.WhenAll(tasks.Append(fourth)).WaitAsync(Long);
        Assert.Equal(4, database.StartedCount);
    }

    [Fact]
    public async Task AFailedStatement_FailsEveryRequestItCarried_AndNoneOfTheNext()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 3, maxRunners: 1);
        var gate = database.HoldNextStatement();
        var first = batcher.RunAsync("first", CancellationToken.None);
        await database.Started(1);
        database.FailStatementNumber(2, new InvalidOperationException("disk full"));
        var failing = Enumerable.Range(0, 3).Select(i => batcher.RunAsync($"f{i}", CancellationToken.None)).ToList();
        var next = Enumerable.Range(0, 3).Select(i => batcher.RunAsync($"n{i}", CancellationToken.None)).ToList();
        gate.SetResult();

        await first.WaitAsync(Long);
        foreach (var task in failing)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Long));
            Assert.Equal("disk full", error.Message);
        }

        Assert.Equal(["N0", "N1", "N2"], await Task.WhenAll(next).WaitAsync(Long));
        Assert.Equal(3, database.Statements.Count);
    }

    [Fact]
    public async Task AnErrorThatMayBeOneRequests_IsRetriedOneByOne_SoThatOnlyThatRequestFails()
    {
        var database = new FakeStatements { BadRequest = "bad" };
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 1, retryAlone: ex => ex is ArgumentException);
        var gate = database.HoldNextStatement();
        var first = batcher.RunAsync("first", CancellationToken.None);
        await database.Started(1);
        var good1 = batcher.RunAsync("g1", CancellationToken.None);
        var bad = batcher.RunAsync("bad", CancellationToken.None);
        var good2 = batcher.RunAsync("g2", CancellationToken.None);
        gate.SetResult();

        Assert.Equal("G1", await good1.WaitAsync(Long));
        Assert.Equal("G2", await good2.WaitAsync(Long));
        await Assert.ThrowsAsync<ArgumentException>(() => bad.WaitAsync(Long));
        await first;
        Assert.Equal([["first"], ["g1", "bad", "g2"], ["g1"], ["bad"], ["g2"]], database.Statements);
    }

    [Fact]
    public async Task ARequestQueuedPastMaxWait_FailsWithATimeout_AndIsNeverSent()
    {
        var database = new FakeStatements();
        // Long enough that the first request is sent before its own wait ends, even on a busy machine.
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 1, maxWait: TimeSpan.FromSeconds(1));
        var gate = database.HoldNextStatement();
        var hung = batcher.RunAsync("hung", CancellationToken.None);
        await database.Started(1);

        var queued = batcher.RunAsync("queued", CancellationToken.None);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => queued.WaitAsync(Long));
        gate.SetResult();

        // Once sent, a request is the statement's to end (it got the budget to do so).
        Assert.Equal("HUNG", await hung.WaitAsync(Long));
        Assert.Equal("LATER", await batcher.RunAsync("later", CancellationToken.None).WaitAsync(Long));
        Assert.Equal("the database took too long (Test:Setting)", error.Message);
        Assert.Equal([["hung"], ["later"]], database.Statements);
    }

    [Fact]
    public async Task AStatement_IsGivenWhatIsLeftOfItsOldestRequestsBudget()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 1, maxWait: TimeSpan.FromSeconds(30));
        var gate = database.HoldNextStatement();
        var first = batcher.RunAsync("first", CancellationToken.None);
        await database.Started(1);
        var older = batcher.RunAsync("older", CancellationToken.None);
        var olderQueued = Stopwatch.GetTimestamp(); // after the batcher stamped it: its age is at least what is measured from here
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var newer = batcher.RunAsync("newer", CancellationToken.None);
        var olderAge = Stopwatch.GetElapsedTime(olderQueued); // timers may fire a tick early: measured, not assumed
        gate.SetResult();
        await Task.WhenAll(first, older, newer).WaitAsync(Long);

        Assert.Equal(["older", "newer"], database.Statements[1]);
        Assert.True(database.Budgets[0] <= TimeSpan.FromSeconds(30), $"the first statement got {database.Budgets[0]}");
        Assert.True(database.Budgets[1] <= TimeSpan.FromSeconds(30) - olderAge,
            $"the second statement got {database.Budgets[1]}, more than its oldest request had left (queued {olderAge.TotalMilliseconds:F1} ms before)");
    }

    [Fact]
    public async Task ARequestCancelledWhileQueued_IsCancelled_AndNeverSent()
    {
        var database = new FakeStatements();
        var batcher = database.Batcher(maxBatch: 100, maxRunners: 1);
        var gate = database.HoldNextStatement();
        var first = batcher.RunAsync("first", CancellationToken.None);
        await database.Started(1);
        using var cancel = new CancellationTokenSource();

        var queued = batcher.RunAsync("cancelled", cancel.Token);
        var kept = batcher.RunAsync("kept", CancellationToken.None);
        await cancel.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Long));
        Assert.Equal("KEPT", await kept.WaitAsync(Long));
        await first;
        Assert.Equal([["first"], ["kept"]], database.Statements);
    }

    /// <summary>A database that upper-cases each request, records every statement, and can hold or fail one.</summary>
    private sealed class FakeStatements
    {
        private readonly Queue<TaskCompletionSource> _holds = new();
        private readonly Dictionary<int, Exception> _failures = [];
        private readonly SemaphoreSlim _started = new(0);

        public List<List<string>> Statements { get; } = [];

        public List<TimeSpan> Budgets { get; } = [];

        public string? BadRequest { get; init; }

        public int StartedCount
        {
            get
            {
                lock (Statements)
                {
                    return Statements.Count;
                }
            }
        }

        public StatementBatcher<string, string> Batcher(int maxBatch, int maxRunners, TimeSpan? maxWait = null, Func<Exception, bool>? retryAlone = null) =>
            new(RunAsync, maxBatch, maxRunners, maxWait ?? Long, "the database took too long (Test:Setting)", retryAlone);

        public TaskCompletionSource HoldNextStatement()
        {
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_holds)
            {
                _holds.Enqueue(hold);
            }

            return hold;
        }

        public void FailStatementNumber(int number, Exception error) => _failures[number] = error;

        public async Task Started(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _started.WaitAsync(Long), "a statement did not start");
            }
        }

        private async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<string> requests, TimeSpan budget)
        {
            Assert.True(budget > TimeSpan.Zero);
            int number;
            TaskCompletionSource? hold;
            lock (Statements)
            {
                Budgets.Add(budget);
                Statements.Add([.. requests]);
                number = Statements.Count;
            }

            lock (_holds)
            {
                _holds.TryDequeue(out hold);
            }

            _started.Release();
            if (hold is not null)
            {
                await hold.Task;
            }

            if (_failures.TryGetValue(number, out var failure))
            {
                throw failure;
            }

            if (requests.Count > 1 && requests.Contains(BadRequest))
            {
                throw new ArgumentException("a bad row");
            }

            return requests.Count == 1 && requests[0] == BadRequest
                ? throw new ArgumentException("a bad row")
                : [.. requests.Select(r => r.ToUpperInvariant())];
        }
    }
}
