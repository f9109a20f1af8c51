using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>
/// The bound on the session grains one silo holds (<see cref="RevocationRowOptions.MaxActivationsPerSilo"/> of <c>SessionRevocation</c>):
/// every check of a token with a <c>sid</c> asks its session's grain, so distinct sessions grow
/// memory exactly as distinct tokens do.
/// </summary>
public sealed class SessionActivationCap(
    IOptions<SessionRevocationOptions> options,
    RegistryMetrics metrics,
    TimeProvider time,
    ILogger<SessionActivationCap> logger) : ActivationCap(options.Value.MaxActivationsPerSilo, time)
{
    protected override void Evicted(int count) => metrics.Sessions.Evicted(count);

    protected override void LogLimitReached(long evictedSinceLastReport) =>
        GrainsLog.RowCapReached(logger, "Session", $"{SessionRevocationOptions.SectionName}:{nameof(SessionRevocationOptions.MaxActivationsPerSilo)}", Limit, evictedSinceLastReport);
}
