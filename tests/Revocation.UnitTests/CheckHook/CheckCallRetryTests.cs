using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Revocation.Abstractions;
using Revocation.AspNetCore.Lookups;

namespace Revocation.UnitTests.CheckHook;

/// <summary>A check's grain call is repeated when its silo is lost, and once when the database failed its read, within the check's budget, and for nothing else.</summary>
public sealed class CheckCallRetryTests
{
    [Fact]
    public async Task SiloLost_TheCallIsRepeated_UntilItAnswers()
    {
        var calls = 0;

        var answer = await CheckCallRetry.CallAsync(
            () => ++calls < 3 ? throw new SiloUnavailableException("the silo died") : Task.FromResult(true),
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None);

        Assert.True(answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task CallCancelledByTheRuntime_IsAskedAgain()
    {
        // Seen while a killed silo was being declared dead: the runtime ended a call as cancelled
        // (no exception on the task), and the check failed with a NullReferenceException.
        var calls = 0;
        var reasons = new List<string>();

        var answer = await CheckCallRetry.CallAsync(
            () => ++calls == 1 ? Task.FromCanceled<bool>(new CancellationToken(canceled: true)) : Task.FromResult(true),
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None, reasons.Add);

        Assert.True(answer);
        Assert.Equal(2, calls);
        Assert.Equal([CheckCallRetry.Failed], reasons);
    }

    [Fact]
    public async Task CallCancelledWhileTheRequestIsCancelled_IsNotAskedAgain()
    {
        var calls = 0;
        using var request = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CheckCallRetry.CallAsync(
            () => { calls++; request.Cancel(); return Task.FromCanceled<bool>(request.Token); },
            TimeSpan.FromSeconds(2), TimeProvider.System, request.Token));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GrainError_IsNotRepeated()
    {
        var calls = 0;

        await Assert.ThrowsAsync<TokenInputException>(() => CheckCallRetry.CallAsync<bool>(
            () => { calls++; throw new TokenInputException("refused by the grain", "jti"); },
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ReadFailedInTheDatabase_IsAskedOnceMore_AndItsAnswerCounts()
    {
        // A statement past Database:CommandTimeout (1 s) leaves a 2 s check a second to ask again.
        var calls = 0;
        var reasons = new List<string>();

        var answer = await CheckCallRetry.CallAsync(
            () => ++calls == 1 ? throw new RegistryStorageException("the database did not answer within 00:00:01") : Task.FromResult(true),
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None, reasons.Add);

        Assert.True(answer);
        Assert.Equal(2, calls);
        Assert.Equal([CheckCallRetry.StorageFailed], reasons);
    }

    [Fact]
    public async Task ReadFailingInTheDatabaseAgain_IsNotAskedAThirdTime()
    {
        // A database that is down costs a check one call more, not a retry loop.
        var calls = 0;
        var reasons = new List<string>();

        var failure = await Assert.ThrowsAsync<RegistryStorageException>(() => CheckCallRetry.CallAsync<bool>(
            () => { calls++; throw new RegistryStorageException($"database down ({calls})"); },
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None, reasons.Add));

        Assert.Equal(2, calls);
        Assert.Equal("database down (2)", failure.Message);
        Assert.Equal([CheckCallRetry.StorageFailed], reasons);
    }

    [Fact]
    public async Task ReadFailedInTheDatabase_WhileACallAskedAlongsideWaitsOnTheSameRead_IsAskedOnceMoreAfterBothFailed()
    {
        // A 2 s budget asks alongside after 0.5 s, before a 1 s statement timeout ends the read both
        // calls wait on: both fail with it, and the question still gets its one more try.
        var time = new FakeTimeProvider();
        var read = new TaskCompletionSource<bool>();
        var calls = new SentCalls(time);
        var reasons = new List<string>();

        var answer = CheckCallRetry.CallAsync(
            () => calls.Record() <= 2 ? read.Task : Task.FromResult(true),
            TimeSpan.FromSeconds(2), time, CancellationToken.None, reasons.Add);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(5), () => Task.FromResult(calls.Count == 2), poll: TimeSpan.FromMilliseconds(5));
        time.Advance(TimeSpan.FromMilliseconds(400));
        read.SetException(new RegistryStorageException("the database did not answer within 00:00:01"));
        await Task.Delay(20);
        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([0, 500, 950], calls.Milliseconds);
        Assert.Equal([CheckCallRetry.Unanswered, CheckCallRetry.StorageFailed], reasons);
    }

    [Fact]
    public async Task ReadFailedInTheDatabase_WithTooLittleBudgetLeft_IsNotAskedAgain()
    {
        var time = new FakeTimeProvider();
        var calls = 0;

        var answer = CheckCallRetry.CallAsync<bool>(
            () =>
            {
                calls++;
                time.Advance(TimeSpan.FromMilliseconds(980)); // failed at the budget's end
                throw new RegistryStorageException("the database did not answer within 00:00:01");
            },
            TimeSpan.FromSeconds(1), time, CancellationToken.None);

        await Assert.ThrowsAsync<RegistryStorageException>(() => answer.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task SiloLostForLongerThanTheBudget_TheLastFailureIsThrownWithinTheBudget()
    {
        var time = new FakeTimeProvider();
        var calls = new SentCalls(time);
        var started = time.GetTimestamp();

        var retried = CheckCallRetry.CallAsync<bool>(
            () => { calls.Record(); throw new SiloUnavailableException("still gone"); },
            TimeSpan.FromMilliseconds(300), time, CancellationToken.None);
        while (!retried.IsCompleted && time.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1);
        }

        await Assert.ThrowsAsync<SiloUnavailableException>(() => retried);
        Assert.Equal([0, 50, 150], calls.Milliseconds);
    }

    [Fact]
    public async Task CallUnansweredForAQuarterOfTheBudget_IsAskedAgainAlongside_AndTheFirstAnswerWins()
    {
        var time = new FakeTimeProvider();
        var lost = new TaskCompletionSource<bool>(); // a call sent on a connection the crash cut
        var calls = new SentCalls(time);
        var reasons = new List<string>();

        var answer = CheckCallRetry.CallAsync(
            () => calls.Record() == 1 ? lost.Task : Task.FromResult(true),
            TimeSpan.FromSeconds(2), time, CancellationToken.None, reasons.Add);
        time.Advance(TimeSpan.FromMilliseconds(499));
        await Task.Delay(50);
        Assert.Single(calls.Milliseconds);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([0, 500], calls.Milliseconds);
        Assert.Equal([CheckCallRetry.Unanswered], reasons);
    }

    [Fact]
    public async Task NothingAnswers_AtMostThreeCallsAreOut_AndNoneIsSentAfterTheBudget()
    {
        var time = new FakeTimeProvider();
        var calls = new SentCalls(time);
        var never = new TaskCompletionSource<bool>();

        var answer = CheckCallRetry.CallAsync(
            () => { calls.Record(); return never.Task; },
            TimeSpan.FromSeconds(2), time, CancellationToken.None);
        foreach (var expected in new[] { 2, 3 })
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Eventually.HoldsAsync(TimeSpan.FromSeconds(5), () => Task.FromResult(calls.Count == expected), poll: TimeSpan.FromMilliseconds(5));
        }

        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(100);

        Assert.False(answer.IsCompleted); // the checker's own timeout ends the wait
        Assert.Equal([0, 500, 1000], calls.Milliseconds);
    }

    [Fact]
    public async Task ACallAskedAgainFails_WhileTheFirstIsOut_TheFirstAnswerStillCounts()
    {
        var time = new FakeTimeProvider();
        var slow = new TaskCompletionSource<bool>();
        var calls = 0;

        var answer = CheckCallRetry.CallAsync(
            () => Interlocked.Increment(ref calls) == 1 ? slow.Task : Task.FromException<bool>(new SiloUnavailableException("the silo died")),
            TimeSpan.FromSeconds(2), time, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(5), () => Task.FromResult(Volatile.Read(ref calls) == 2), poll: TimeSpan.FromMilliseconds(5));
        await Task.Delay(20);
        Assert.False(answer.IsCompleted);
        slow.SetResult(true);

        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, calls);
    }

    /// <summary>When each call was sent, counted from the fake clock's time at creation (calls may come from two threads).</summary>
    private sealed class SentCalls(TimeProvider time)
    {
        private readonly long _started = time.GetTimestamp();
        private readonly List<TimeSpan> _sent = [];

        public int Count
        {
            get
            {
                lock (_sent)
                {
                    return _sent.Count;
                }
            }
        }

        public int[] Milliseconds
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent.Select(at => (int)at.TotalMilliseconds)];
                }
            }
        }

        /// <summary>Notes a call sent now; its number, 1 for the first.</summary>
        public int Record()
        {
            lock (_sent)
            {
                _sent.Add(time.GetElapsedTime(_started));
                return _sent.Count;
            }
        }
    }
}
