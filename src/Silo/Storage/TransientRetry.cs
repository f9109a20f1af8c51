using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Revocation.Silo.Storage;

/// <summary>
/// A short retry for the store's single statements, which are idempotent (a read, an upsert): after
/// the database restarts, the pool hands out connections that are already broken, and the first
/// use of each fails. Retrying turns that into a brief delay instead of a failed revocation. Only
/// connection failures are retried (<see cref="IsConnectionFailure"/>), at most twice; a statement
/// that timed out or was cancelled is not: the database is slow, not gone, and a retry would only
/// hold the caller (and a pooled connection) that much longer.
/// </summary>
public static class TransientRetry
{
    public static ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsConnectionFailure),
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            UseJitter = true,
        })
        .Build();

    /// <summary>
    /// The connection failed, not the statement: a broken socket, or a server that is shutting down,
    /// starting or out of connection slots. Such a connection never got the statement to a server
    /// able to run it (and had it broken mid-statement, the statement is idempotent). Npgsql also
    /// calls timeouts and some statement errors transient; those are not retried here.
    /// </summary>
    public static bool IsConnectionFailure(NpgsqlException exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection_exception class
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        _ => exception.InnerException is IOException or SocketException,
    };
}
