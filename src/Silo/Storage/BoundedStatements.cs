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
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var timeout = options.Value.CommandTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await TransientRetry.Pipeline.ExecuteAsync(
                static async (run, ct) => await run(ct), operation, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The database did not answer within {timeout} " +
                $"({RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.CommandTimeout)}); the statement was cancelled.",
                ex);
        }
    }
}
