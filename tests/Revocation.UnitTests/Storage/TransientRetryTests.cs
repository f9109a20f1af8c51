using Npgsql;
using Revocation.Silo.Storage;

namespace Revocation.UnitTests.Storage;

public sealed class TransientRetryTests
{
    [Fact]
    public async Task TransientFailure_IsRetried()
    {
        var attempts = 0;

        var result = await TransientRetry.Pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return attempts == 1
                ? throw new NpgsqlException("connection broken", new IOException("reset by peer"))
                : ValueTask.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task PermanentFailure_IsNotRetried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<NpgsqlException>(async () => await TransientRetry.Pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new NpgsqlException("syntax error");
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task PersistentTransientFailure_GivesUpAfterTwoRetries()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<NpgsqlException>(async () => await TransientRetry.Pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new NpgsqlException("down", new IOException("refused"));
        }));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task TimedOutStatement_IsNotRetried()
    {
        var attempts = 0;

        // What Npgsql throws when its own command timeout ends a statement; Npgsql calls it transient.
        await Assert.ThrowsAsync<NpgsqlException>(async () => await TransientRetry.Pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));
        }));

        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    [InlineData(PostgresErrorCodes.LockNotAvailable)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    public async Task StatementThatReachedTheServer_IsNotRetried(string sqlState)
    {
        var attempts = 0;

        await Assert.ThrowsAsync<PostgresException>(async () => await TransientRetry.Pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new PostgresException("failed", "ERROR", "ERROR", sqlState);
        }));

        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    public async Task ServerGoneOrRefusingConnections_IsRetried(string sqlState)
    {
        var attempts = 0;

        var result = await TransientRetry.Pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return attempts == 1 ? throw new PostgresException("gone", "FATAL", "FATAL", sqlState) : ValueTask.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.Equal(2, attempts);
    }
}
