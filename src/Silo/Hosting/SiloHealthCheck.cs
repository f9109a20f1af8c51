using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;
using Revocation.Hosting;

namespace Revocation.Silo.Hosting;

/// <summary>
/// Ready when this silo is an active cluster member and its database answers. A singleton: its answer
/// is kept for <see cref="HealthAnswerCache.MaxAge"/> and shared, so however often <c>/health/ready</c>
/// is asked, the database gets at most one ping a second.
/// </summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle membership, NpgsqlDataSource database, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(2);

    private readonly HealthAnswerCache _answers = new(time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _answers.GetAsync(ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        if (membership.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {membership.CurrentStatus}, not Active.");
        }

        try
        {
            using var timeout = new CancellationTokenSource(DatabaseTimeout, time);
            await using var ping = database.CreateCommand("SELECT 1");
            await ping.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The registry database did not answer.", ex);
        }
    }
}
