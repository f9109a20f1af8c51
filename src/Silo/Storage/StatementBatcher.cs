using System.Diagnostics;

namespace Revocation.Silo.Storage;

/// <summary>
/// Groups concurrent requests into one statement each, so that a storm costs the database (and
/// this process) one round trip and one commit per group instead of one per request. No request
/// waits for a group to fill: a request is taken at once by an idle runner, and only while every
/// runner is busy do requests queue, to leave together as soon as one is free. A request completes
/// only after the statement that carried it did, with that statement's answer for it; when the
/// statement fails, every request it carried fails with the same error and none succeeds — unless
/// the error may be one request's own (<c>retryAlone</c>), in which case each is sent again on its
/// own, so that one bad request cannot fail the others.
/// </summary>
/// <remarks>
/// Every request has a budget (<c>maxWait</c>) from the moment it is made: one still queued when it
/// runs out fails with a <see cref="TimeoutException"/> and is never sent; a statement is given what
/// is left of the budget of the oldest request it carries, so that it is cancelled (by its runner)
/// before any of its callers waited longer than its budget.
/// </remarks>
/// <typeparam name="TRequest">One caller's part of a statement.</typeparam>
/// <typeparam name="TResult">What the statement answers for one request.</typeparam>
public sealed class StatementBatcher<TRequest, TResult>
{
    private readonly Func<IReadOnlyList<TRequest>, TimeSpan, Task<IReadOnlyList<TResult>>> _run;
    private readonly int _maxBatch;
    private readonly int _maxRunners;
    private readonly TimeSpan _maxWait;
    private readonly string _timeoutMessage;
    private readonly Func<Exception, bool> _retryAlone;
    private readonly Queue<Pending> _queue = new();
    private int _runners;

    /// <param name="run">Runs one statement for the requests given, within the time given, and answers one result per request, in their order.</param>
    /// <param name="maxBatch">The most requests one statement carries.</param>
    /// <param name="maxRunners">The most statements in flight at once.</param>
    /// <param name="maxWait">Each request's budget, queueing included.</param>
    /// <param name="timeoutMessage">The message of the <see cref="TimeoutException"/> of a request whose budget ran out while it queued.</param>
    /// <param name="retryAlone">Whether a statement of several requests that failed with this error is sent again one request at a time.</param>
    public StatementBatcher(
        Func<IReadOnlyList<TRequest>, TimeSpan, Task<IReadOnlyList<TResult>>> run,
        int maxBatch,
        int maxRunners,
        TimeSpan maxWait,
        string timeoutMessage,
        Func<Exception, bool>? retryAlone = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunners, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxWait, TimeSpan.Zero);
        _run = run;
        _maxBatch = maxBatch;
        _maxRunners = maxRunners;
        _maxWait = maxWait;
        _timeoutMessage = timeoutMessage;
        _retryAlone = retryAlone ?? (static _ => false);
    }

    /// <summary>
    /// The result for <paramref name="request"/> once a statement carrying it has completed. A
    /// request cancelled while it still queues leaves the queue unsent; one already sent may take
    /// effect although its caller stopped waiting.
    /// </summary>
    public Task<TResult> RunAsync(TRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, Stopwatch.GetTimestamp() + (long)(_maxWait.TotalSeconds * Stopwatch.Frequency));
        pending.EndWaiting(_maxWait, _timeoutMessage, cancellationToken);

        bool startRunner;
        lock (_queue)
        {
            _queue.Enqueue(pending);
            startRunner = _runners < _maxRunners;
            if (startRunner)
            {
                _runners++;
            }
        }

        if (startRunner)
        {
            _ = Task.Run(RunUntilEmptyAsync, CancellationToken.None);
        }

        return pending.Result;
    }

    private async Task RunUntilEmptyAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                await RunBatchAsync(batch);
            }
            catch (Exception ex) when (batch.Count > 1 && _retryAlone(ex))
            {
                foreach (var pending in batch)
                {
                    await RunAloneAsync(pending);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Fail(ex);
                }
            }
        }
    }

    private async Task RunBatchAsync(List<Pending> batch)
    {
        var budget = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), batch.Min(p => p.Deadline));
        if (budget <= TimeSpan.Zero)
        {
            throw new TimeoutException(_timeoutMessage);
        }

        var results = await _run([.. batch.Select(p => p.Request)], budget);
        if (results.Count != batch.Count)
        {
            throw new InvalidOperationException($"A statement answered {results.Count} results for {batch.Count} requests.");
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Complete(results[i]);
        }
    }

    private async Task RunAloneAsync(Pending pending)
    {
        try
        {
            await RunBatchAsync([pending]);
        }
        catch (Exception ex)
        {
            pending.Fail(ex);
        }
    }

    /// <summary>The next group of requests still queued, or null (and this runner ends) when none are.</summary>
    private List<Pending>? TakeBatch()
    {
        lock (_queue)
        {
            var batch = new List<Pending>(Math.Min(_queue.Count, _maxBatch));
            while (batch.Count < _maxBatch && _queue.TryDequeue(out var pending))
            {
                if (pending.TrySend())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count == 0)
            {
                _runners--;
                return null;
            }

            return batch;
        }
    }

    private sealed class Pending(TRequest request, long deadline)
    {
        private const int Queued = 0;
        private const int Sent = 1;
        private const int Ended = 2;

        private readonly TaskCompletionSource<TResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenSource? _waiting;
        private int _state;

        public TRequest Request { get; } = request;

        /// <summary>When its budget runs out (a <see cref="Stopwatch"/> timestamp).</summary>
        public long Deadline { get; } = deadline;

        public Task<TResult> Result => _result.Task;

        /// <summary>
        /// Cancels the request with <paramref name="cancellationToken"/>; fails it after
        /// <paramref name="maxWait"/> if it is still queued then (once sent, its statement's own
        /// deadline ends it).
        /// </summary>
        public void EndWaiting(TimeSpan maxWait, string timeoutMessage, CancellationToken cancellationToken)
        {
            _waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _waiting.Token.Register(() =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref _state, Ended, Queued);
                    _result.TrySetCanceled(cancellationToken);
                }
                else if (Interlocked.CompareExchange(ref _state, Ended, Queued) == Queued)
                {
                    _result.TrySetException(new TimeoutException(timeoutMessage));
                }
            });
            _waiting.CancelAfter(maxWait);
        }

        /// <summary>Takes the request out of the queue into a statement, unless it already ended.</summary>
        public bool TrySend() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

        public void Complete(TResult result)
        {
            _result.TrySetResult(result);
            _waiting?.Dispose();
        }

        public void Fail(Exception exception)
        {
            _result.TrySetException(exception);
            _waiting?.Dispose();
        }
    }
}
