using Npgsql;
using Polly;
using Polly.Retry;

namespace Revocation.Silo.Storage;

/// <summary>
/// A short retry for the store's single statements, which are idempotent (a read, an upsert, a
/// bounded delete): after the database restarts, the pool hands out connections that are already
/// broken, and the first use of each fails. Retrying turns that into a brief delay instead of a
/// failed revocation. Only errors Npgsql marks transient are retried, at most twice.
/// </summary>
public static class TransientRetry
{
    public static ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(ex => ex.IsTransient),
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            UseJitter = true,
        })
        .Build();
}
