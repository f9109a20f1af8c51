using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Revocation.Hosting;

/// <summary>
/// Keeps a health check's answer for <see cref="MaxAge"/> and shares it, and the question in flight,
/// with every request meanwhile: <c>/health/ready</c> is reachable from outside, and a client
/// hammering it must not turn each request into a call to the registry or its database. A new
/// question is asked only once the previous one was answered and its answer is older than
/// <see cref="MaxAge"/>, so at most one is ever in flight and at most one starts per <see cref="MaxAge"/>.
/// </summary>
/// <remarks>Shared by the silo and the API node (linked into both projects).</remarks>
public sealed class HealthAnswerCache(TimeProvider time)
{
    /// <summary>How long an answer is served again: orchestrators probe every few seconds, so a second costs them nothing.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _answer;
    private long _askedAt;

    /// <summary>
    /// The answer of <paramref name="ask"/>, asked now or shared. <paramref name="ask"/> must bound its
    /// own wait (a request that gives up leaves the question running for the others); a failure is
    /// an unhealthy answer.
    /// </summary>
    public Task<HealthCheckResult> GetAsync(Func<Task<HealthCheckResult>> ask, CancellationToken cancellationToken)
    {
        TaskCompletionSource<HealthCheckResult>? asking = null;
        Task<HealthCheckResult> answer;
        lock (_gate)
        {
            if (_answer is null || (_answer.IsCompleted && time.GetElapsedTime(_askedAt) >= MaxAge))
            {
                asking = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _askedAt = time.GetTimestamp();
                _answer = asking.Task;
            }

            answer = _answer;
        }

        if (asking is not null)
        {
            // Outside the lock; its timeout starts before this request waits.
            _ = AskAsync(ask, asking);
        }

        return answer.WaitAsync(cancellationToken);
    }

    private static async Task AskAsync(Func<Task<HealthCheckResult>> ask, TaskCompletionSource<HealthCheckResult> answer)
    {
        try
        {
            answer.SetResult(await ask());
        }
        catch (Exception ex)
        {
            answer.SetResult(HealthCheckResult.Unhealthy("The health check failed.", ex));
        }
    }
}
