using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Revocation.Silo.Storage;

/// <summary>
/// Opens a connection at startup, retrying with exponential backoff while the database is
/// unreachable (it may still be starting), for at most <see cref="RegistryDatabaseOptions.StartupTimeout"/>.
/// Errors that retrying cannot fix (bad password, unknown database) fail at once.
/// </summary>
public sealed class DatabaseConnector(
    NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options, ILogger<DatabaseConnector> logger)
{
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.StartupTimeout;
        Exception? lastError = null;
        var pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<NpgsqlException>(ex => ex.IsTransient)
                    .Handle<SocketException>()
                    .Handle<TimeoutException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    lastError = args.Outcome.Exception;
                    SiloLog.DatabaseRetry(logger, RegistryDataSourceFactory.Describe(dataSource), args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            return await pipeline.ExecuteAsync(
                static async (source, ct) => await source.OpenConnectionAsync(ct), dataSource, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new DatabaseUnavailableException(
                $"The registry database ({RegistryDataSourceFactory.Describe(dataSource)}) was unreachable for " +
                $"{timeout} ({RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.StartupTimeout)}). " +
                $"Last error: {lastError?.Message ?? ex.Message}",
                lastError ?? ex);
        }
        catch (NpgsqlException ex)
        {
            throw new DatabaseUnavailableException(
                $"The registry database ({RegistryDataSourceFactory.Describe(dataSource)}) refused the connection: {ex.Message}. " +
                $"Check ConnectionStrings:{RegistryDatabaseOptions.ConnectionStringName}.",
                ex);
        }
    }
}
