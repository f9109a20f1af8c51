using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.Hosting;

namespace Revocation.Api.Registry;

/// <summary>Ready when a probe grain answers through the cluster within the call timeout.</summary>
public sealed class RegistryHealthCheck(IGrainFactory grains, IOptions<RegistryClientOptions> options) : IHealthCheck
{
    private const string ProbeJti = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetTokenGrain(ProbeJti).IsRevokedAsync().AsTask().WaitAsync(options.Value.CallTimeout, cancellationToken);
            return HealthCheckResult.Healthy("The registry answered.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The registry did not answer.", ex);
        }
    }
}
