using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.AspNetCore;

/// <summary>
/// Asks the registry whether a validated token is revoked — by its jti, or by its subject's
/// not-before — within <see cref="RevocationCheckOptions.Timeout"/>, and applies the failure
/// policy. Both lookups are grain calls answered from memory and run concurrently.
/// </summary>
public sealed class RevocationChecker(
    IGrainFactory grains,
    IOptionsMonitor<RevocationCheckOptions> options,
    TimeProvider time,
    RevocationMetrics metrics,
    ILogger<RevocationChecker> logger)
{
    private static readonly Task<bool> NotRevokedByJti = Task.FromResult(false);
    private static readonly Task<SubjectStatus> NoSubjectRule = Task.FromResult(SubjectStatus.None);

    /// <summary>The verdict for a token whose signature and lifetime have already been validated.</summary>
    /// <param name="token">The token's jti, sub and iat.</param>
    /// <param name="clockSkew">How far in the future an <c>iat</c> may be (the validator's clock skew).</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public async Task<RevocationVerdict> CheckAsync(TokenIdentity token, TimeSpan clockSkew, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var policy = settings.FailurePolicy == RevocationFailurePolicy.FailOpen ? "fail_open" : "fail_closed";
        if (Refuse(token, settings, clockSkew) is { } refusal)
        {
            metrics.Checked(refusal.Outcome, policy);
            RevocationCheckLog.Rejected(logger, refusal.Outcome, token.Jti);
            return refusal.Verdict;
        }

        var started = Stopwatch.GetTimestamp();
        var byJti = token.Jti is null ? NotRevokedByJti : grains.GetGrain<ITokenGrain>(token.Jti).IsRevokedAsync().AsTask();
        var bySubject = settings.CheckSubject && token.Subject is not null
            ? grains.GetGrain<ISubjectGrain>(token.Subject).GetStatusAsync().AsTask()
            : NoSubjectRule;
        try
        {
            await Task.WhenAll(byJti, bySubject).WaitAsync(settings.Timeout, cancellationToken);
            metrics.CheckDuration(Stopwatch.GetElapsedTime(started));
            var revokedByJti = byJti.Result;
            if (revokedByJti || bySubject.Result.Revokes(token.IssuedAt!.Value))
            {
                var outcome = revokedByJti ? "revoked" : "subject_revoked";
                metrics.Checked(outcome, policy);
                RevocationCheckLog.Rejected(logger, outcome, token.Jti);
                return RevocationVerdict.Revoked;
            }

            metrics.Checked("ok", policy);
            return RevocationVerdict.NotRevoked;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.CheckDuration(Stopwatch.GetElapsedTime(started));
            metrics.Checked("error", policy);
            if (settings.FailurePolicy == RevocationFailurePolicy.FailOpen)
            {
                RevocationCheckLog.FailedOpen(logger, ex, token.Jti);
                return RevocationVerdict.NotRevoked;
            }

            RevocationCheckLog.FailedClosed(logger, ex, token.Jti);
            return RevocationVerdict.Unavailable;
        }
    }

    /// <summary>Rules decided without the registry: absent or malformed claims.</summary>
    private (RevocationVerdict Verdict, string Outcome)? Refuse(TokenIdentity token, RevocationCheckOptions settings, TimeSpan clockSkew)
    {
        if (token.Jti is null && settings.RequireJti)
        {
            return (RevocationVerdict.MissingJti, "no_jti");
        }

        if (token.Jti is not null && TokenInput.CheckJti(token.Jti) is not null)
        {
            return (RevocationVerdict.InvalidJti, "invalid_jti");
        }

        if (!settings.CheckSubject)
        {
            return null;
        }

        if (token.IssuedAt is not { } issuedAt)
        {
            return (RevocationVerdict.MissingIssuedAt, "no_iat");
        }

        if (issuedAt > time.GetUtcNow() + clockSkew)
        {
            return (RevocationVerdict.IssuedInFuture, "future_iat");
        }

        if (token.Subject is not null && TokenInput.CheckSubject(token.Subject) is not null)
        {
            return (RevocationVerdict.InvalidSubject, "invalid_sub");
        }

        return null;
    }
}
