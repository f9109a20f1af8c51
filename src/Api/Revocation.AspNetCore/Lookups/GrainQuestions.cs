using Microsoft.Extensions.DependencyInjection;
using Revocation.Abstractions;

namespace Revocation.AspNetCore.Lookups;

/// <summary>
/// The two questions a check asks the registry — is this jti revoked, what is this subject's
/// not-before — each retried while a silo loss allows within the check's time budget
/// (<see cref="SiloLossRetry"/>). The grain factory is resolved on first use: the Database modes
/// need none.
/// </summary>
internal sealed class GrainQuestions(IServiceProvider services, RevocationCheckSettings settings, TimeProvider time, RevocationMetrics metrics)
{
    private IGrainFactory? _grains;

    private IGrainFactory Grains => _grains ??= services.GetRequiredService<IGrainFactory>();

    public Task<bool> IsRevokedAsync(string jti, CancellationToken cancellationToken) =>
        SiloLossRetry.CallAsync(() => Grains.GetGrain<ITokenGrain>(jti).IsRevokedAsync().AsTask(), settings.Current.Timeout, time, cancellationToken, metrics.CheckRetried);

    public Task<SubjectStatus> SubjectAsync(string subject, CancellationToken cancellationToken) =>
        SiloLossRetry.CallAsync(() => Grains.GetGrain<ISubjectGrain>(subject).GetStatusAsync().AsTask(), settings.Current.Timeout, time, cancellationToken, metrics.CheckRetried);
}
