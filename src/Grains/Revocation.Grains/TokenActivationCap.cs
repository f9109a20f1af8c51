using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>The bound on the token grains one silo holds (<see cref="RevocationRowOptions.MaxActivationsPerSilo"/> of <c>TokenGrain</c>).</summary>
public sealed class TokenActivationCap(
    IOptions<TokenGrainOptions> options,
    RegistryMetrics metrics,
    TimeProvider time,
    ILogger<TokenActivationCap> logger) : ActivationCap(options.Value.MaxActivationsPerSilo, time)
{
    protected override void Evicted(int count) => metrics.Tokens.Evicted(count);

    protected override void LogLimitReached(long evictedSinceLastReport) => 
        GrainsLog.RowCapReached(logger, "Token", $"{TokenGrainOptions.SectionName}:{nameof(TokenGrainOptions.MaxActivationsPerSilo)}", Limit, evictedSinceLastReport);
}
