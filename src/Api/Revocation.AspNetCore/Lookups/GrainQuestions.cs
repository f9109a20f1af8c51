using Microsoft.Extensions.DependencyInjection;
using Revocation.Abstractions;

namespace Revocation.AspNetCore.Lookups;

/// <summary>
/// The questions a check asks the registry — is this jti revoked, what is this subject's
/// not-before, is this session revoked — each asked again within the check's time budget when its
/// silo is lost, and once when the database failed its read (<see cref="CheckCallRetry"/>). The
/// grain factory is resolved on first use: the registry's API host in a mode that does not ask the
/// registry needs none.
/// </summary>
internal sealed class GrainQuestions(IServiceProvider services, RevocationCheckSettings settings, TimeProvider time, RevocationMetrics metrics)
{
    private IGrainFactory? _grains;

    private IGrainFactory Grains => _grains ??= services.GetRequiredService<IGrainFactory>();

    /// <summary>Whether (issuer, jti) is revoked; both were checked against the input rules already.</summary>
    public Task<bool> IsRevokedAsync(IssuerKey token, CancellationToken cancellationToken)
    {
        var grain = Grains.GetTokenGrain(token.Issuer, token.Value);
        return CheckCallRetry.CallAsync(() => grain.IsRevokedAsync().AsTask(), settings.Current.Timeout, time, cancellationToken, metrics.CheckRetried);
    }

    /// <summary>The not-before of (issuer, sub); both were checked against the input rules already.</summary>
    public Task<SubjectStatus> SubjectAsync(IssuerKey subject, CancellationToken cancellationToken)
    {
        var grain = Grains.GetSubjectGrain(subject.Issuer, subject.Value);
        return CheckCallRetry.CallAsync(() => grain.GetStatusAsync().AsTask(), settings.Current.Timeout, time, cancellationToken, metrics.CheckRetried);
    }

    /// <summary>Whether (issuer, sid) is revoked; both were checked against the input rules already.</summary>
    public Task<bool> IsSessionRevokedAsync(IssuerKey session, CancellationToken cancellationToken)
    {
        var grain = Grains.GetSessionGrain(session.Issuer, session.Value);
        return CheckCallRetry.CallAsync(() => grain.IsRevokedAsync().AsTask(), settings.Current.Timeout, time, cancellationToken, metrics.CheckRetried);
    }
}
