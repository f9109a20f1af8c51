using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.Grains;

/// <summary>
/// The bound on the subject grains one silo holds (<see cref="SubjectRevocationOptions.MaxActivationsPerSilo"/>):
/// every check of a token with a <c>sub</c> activates its subject's grain, so distinct subjects
/// grow memory exactly as distinct tokens do.
/// </summary>
public sealed class SubjectActivationCap(
    IOptions<SubjectRevocationOptions> options,
    RegistryMetrics metrics,
    TimeProvider time,
    ILogger<SubjectActivationCap> logger) : ActivationCap(options.Value.MaxActivationsPerSilo, time)
{
    protected override void Evicted(int count) => metrics.SubjectsEvicted(count);

    protected override void LogLimitReached(long evictedSinceLastReport) => GrainsLog.SubjectCapReached(logger, Limit, evictedSinceLastReport);
}
