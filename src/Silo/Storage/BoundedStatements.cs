using Microsoft.Extensions.Options;

namespace Revocation.Silo.Storage;

/// <summary>
/// Runs one store operation (its statement, and any retry of it after a connection failure)
/// within <see cref="RegistryDatabaseOptions.CommandTimeout"/>. At the deadline Npgsql cancels the
/// statement at the server and the connection goes back to the pool; the caller gets a
/// <see cref="TimeoutException"/>, so a grain waiting on a hung database fails and frees its
/// activation instead of holding both for as long as the database hangs.
/// </summary>
public sealed class BoundedStatements(IOptions<RegistryDatabaseOptions> options)
{
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(operation, options.Value.CommandTimeout, cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> within <paramref name="budget"/>: what is left of
    /// <see cref="RegistryDatabaseOptions.CommandTimeout"/> for a statement whose callers already waited.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            return await TransientRetry.Pipeline.ExecuteAsync(
                static async (run, ct) => await run(ct), operation, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(TimeoutMessage(options.Value), ex);
        }
    }

    /// <summary>What a caller whose statement ran out of time is told.</summary>
    public static string TimeoutMessage(RegistryDatabaseOptions options) =>
        $"The database did not answer within {options.CommandTimeout} " +
        $"({RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.CommandTimeout)}, waiting for a statement included); the statement was cancelled.";
}
