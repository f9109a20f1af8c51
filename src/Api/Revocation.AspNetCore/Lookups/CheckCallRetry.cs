using System.Runtime.ExceptionServices;
using Orleans.Runtime;
using Revocation.Abstractions;
using Orleans.Runtime.Messaging;

namespace Revocation.AspNetCore.Lookups;

/// <summary>
/// A check is an idempotent read, so when its grain call is lost with a silo it is asked again —
/// the grain is activated anew on a silo that lives, from the database — for as long as the
/// check's own time budget (<see cref="RevocationCheckOptions.Timeout"/>) allows. A silo loss shows
/// in three ways: the call fails (silo unavailable, message rejected, connection failed), the
/// runtime cancels it (it gave up on the silo; the request itself was not cancelled), or it gets no
/// answer at all — a call sent on a connection the crash cut is never answered, and grain calls
/// cannot be cancelled. So a call unanswered after a quarter of the budget (normal calls take
/// milliseconds) is asked again alongside, at most <see cref="MostInFlight"/> at once, and the first
/// answer wins. A read the registry's database failed (<see cref="RegistryStorageException"/>: a
/// statement past <c>Database:CommandTimeout</c>, 1 s by default, or a connection refused) is asked
/// once more after the same short pause, within the budget: a moment's slowness of the database
/// should not fail a check that still has time, while a database that is down costs each check one
/// call more, not a retry loop. Any other error of the grain is not asked again. Revocations are
/// never retried here: their callers decide (a revocation whose outcome is unknown is answered 503
/// and may be repeated).
/// </summary>
internal static class CheckCallRetry
{
    /// <summary>Calls of one question out at once: the first and up to two asked again while it went unanswered.</summary>
    public const int MostInFlight = 3;

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(400);

    /// <summary>Why a question was asked again, as <c>revocation_check_retries_total</c> counts it.</summary>
    public const string Failed = "silo_lost";

    /// <inheritdoc cref="Failed"/>
    public const string Unanswered = "unanswered";

    /// <inheritdoc cref="Failed"/>
    public const string StorageFailed = "storage_failed";

    /// <summary>
    /// Runs <paramref name="call"/>; asks again after a short pause when it failed with a silo loss
    /// (or, once, with a storage failure), or alongside when it is unanswered after a quarter of
    /// <paramref name="budget"/>, until the budget is spent. Throws the last failure when none
    /// answered, any other failure at once; <paramref name="retried"/> is told each time the question
    /// is asked again (<see cref="Failed"/>, <see cref="Unanswered"/> or <see cref="StorageFailed"/>).
    /// </summary>
    public static async Task<T> CallAsync<T>(
        Func<Task<T>> call, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken, Action<string>? retried = null)
    {
        var started = time.GetTimestamp();
        var askAgainAfter = budget / 4;
        var nextAskAgain = askAgainAfter;
        var pause = FirstPause;
        var askedAgainForStorage = false;
        var inFlight = new List<Task<T>> { Start(call) };
        while (true)
        {
            var mayAskAgain = inFlight.Count < MostInFlight && nextAskAgain < budget;
            var done = await FirstDoneAsync(inFlight, mayAskAgain, nextAskAgain - time.GetElapsedTime(started), time, cancellationToken);
            if (done is null)
            {
                // Unanswered for a quarter of the budget: presumed lost with its silo.
                retried?.Invoke(Unanswered);
                inFlight.Add(Start(call));
                nextAskAgain += askAgainAfter;
                continue;
            }

            if (done.IsCompletedSuccessfully)
            {
                inFlight.Remove(done);
                inFlight.ForEach(Abandon);
                return done.Result;
            }

            inFlight.Remove(done);
            var failure = FailureOf(done);
            var elapsed = time.GetElapsedTime(started);
            var reason = IsLoss(failure, cancellationToken) ? Failed
                : failure is RegistryStorageException && !askedAgainForStorage ? StorageFailed
                : null;
            if (reason is null || (inFlight.Count == 0 && (elapsed + pause >= budget || cancellationToken.IsCancellationRequested)))
            {
                inFlight.ForEach(Abandon);
                ExceptionDispatchInfo.Throw(failure);
            }

            if (inFlight.Count > 0)
            {
                // Another call of the question is still out. One asked alongside may be waiting on
                // the very read that failed (a grain's concurrent callers share its read): the
                // question is asked once more for storage only after the last of them failed too.
                continue;
            }

            await Task.Delay(pause, time, cancellationToken);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            askedAgainForStorage |= reason == StorageFailed;
            retried?.Invoke(reason);
            inFlight.Add(Start(call));
            nextAskAgain = time.GetElapsedTime(started) + askAgainAfter;
        }

        // The first call of inFlight to end, or null when `wait` passed first and another call may be sent.
        static async Task<Task<T>?> FirstDoneAsync(List<Task<T>> inFlight, bool mayAskAgain, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
        {
            if (inFlight.Find(task => task.IsCompleted) is { } ended)
            {
                return ended;
            }

            if (!mayAskAgain)
            {
                // No more calls: the checker's own timeout ends the wait.
                return await Task.WhenAny(inFlight).WaitAsync(cancellationToken);
            }

            if (wait <= TimeSpan.Zero)
            {
                return null;
            }

            using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(wait, time, stopTimer.Token);
            var first = await Task.WhenAny([.. inFlight, timer]);
            if (first == timer)
            {
                await timer; // throws if the request was cancelled
                return null;
            }

            stopTimer.Cancel();
            return (Task<T>)first;
        }
    }

    /// <summary>
    /// What ended <paramref name="call"/>: its exception, or for a cancelled call (the runtime cancels
    /// a call whose silo it gave up on) an <see cref="OperationCanceledException"/>, which a cancelled
    /// task does not carry.
    /// </summary>
    private static Exception FailureOf<T>(Task<T> call) =>
        call.IsCanceled ? new TaskCanceledException(call) : call.Exception!.InnerException!;

    /// <summary>
    /// A silo loss, or a call cancelled by the runtime rather than by the request: the question may
    /// be asked again. A cancelled request is never asked again.
    /// </summary>
    private static bool IsLoss(Exception failure, CancellationToken cancellationToken) =>
        IsSiloLoss(failure) || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Failures that mean "the silo is gone or going", not "the grain answered with an error".</summary>
    public static bool IsSiloLoss(Exception exception) => exception is
        SiloUnavailableException or
        OrleansMessageRejectionException or
        ConnectionFailedException or
        Orleans.Networking.Shared.SocketConnectionException or
        GatewayTooBusyException;

    private static Task<T> Start<T>(Func<Task<T>> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    /// <summary>A call nobody waits for any more: its late failure is observed, not left to the unobserved-task handler.</summary>
    private static void Abandon<T>(Task<T> call) =>
        call.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
