using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>The bound on the token grains one silo holds (<see cref="TokenGrainOptions.MaxActivationsPerSilo"/>).</summary>
public sealed class TokenActivationCap(
    IOptions<TokenGrainOptions> options,
    RegistryMetrics metrics,
    TimeProvider time,
    ILogger<TokenActivationCap> logger) : ActivationCap(options.Value.MaxActivationsPerSilo, time)
{
    protected override void Evicted(int count) => metrics.Evicted(count);

    protected override void LogLimitReached(long evictedSinceLastReport) => TokenGrainLog.CapReached(logger, Limit, evictedSinceLastReport);
}
