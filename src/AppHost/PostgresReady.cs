using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Revocation.AppHost;

/// <summary>Healthy once the registry database answers a query: the migrations wait for it.</summary>
internal sealed class PostgresReady(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy("the registry database does not answer yet", ex);
        }
    }
}
