using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.Hosting;
using Revocation.Hosting;

namespace Revocation.Api.Registry;

/// <summary>
/// Ready when a probe grain answers through the cluster within <see cref="ProbeTimeout"/>. A singleton:
/// its answer is kept for <see cref="HealthAnswerCache.MaxAge"/> and shared, so however often
/// <c>/health/ready</c> is asked, the registry gets at most one probe a second.
/// </summary>
public sealed class RegistryHealthCheck(IGrainFactory grains, IOptions<RegistryClientOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>
    /// The longest a probe waits: a registry slower than a check's own budget (<c>RevocationCheck:Timeout</c>,
    /// 2 s) is not ready to serve checks, and a short wait keeps an unanswered probe from piling up.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private const string ProbeJti = "health-probe";

    /// <summary>No issuer: the probe's grain can never be a real token's (every trusted issuer is named).</summary>
    private const string ProbeIssuer = "";

    private readonly HealthAnswerCache _answers = new(time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _answers.GetAsync(ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        var timeout = options.Value.CallTimeout < ProbeTimeout ? options.Value.CallTimeout : ProbeTimeout;
        try
        {
            await grains.GetTokenGrain(ProbeIssuer, ProbeJti).IsRevokedAsync().AsTask().WaitAsync(timeout, time);
            return HealthCheckResult.Healthy("The registry answered.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The registry did not answer.", ex);
        }
    }
}
