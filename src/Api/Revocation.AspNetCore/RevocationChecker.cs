using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.AspNetCore;

/// <summary>
/// Asks the registry whether a validated token's jti is revoked, within
/// <see cref="RevocationCheckOptions.Timeout"/>, and applies the failure policy. One instance per
/// process; the grain call is the whole cost of a check.
/// </summary>
public sealed class RevocationChecker(
    IGrainFactory grains,
    IOptionsMonitor<RevocationCheckOptions> options,
    RevocationMetrics metrics,
    ILogger<RevocationChecker> logger)
{
    /// <summary>The verdict for a token whose signature and lifetime have already been validated.</summary>
    public async Task<RevocationVerdict> CheckAsync(string? jti, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var policy = settings.FailurePolicy == RevocationFailurePolicy.FailOpen ? "fail_open" : "fail_closed";
        if (string.IsNullOrEmpty(jti))
        {
            if (!settings.RequireJti)
            {
                metrics.Checked("ok", policy);
                return RevocationVerdict.NotRevoked;
            }

            RevocationCheckLog.RejectedMissingJti(logger);
            metrics.Checked("no_jti", policy);
            return RevocationVerdict.MissingJti;
        }

        if (TokenInput.CheckJti(jti) is { } error)
        {
            RevocationCheckLog.RejectedInvalidJti(logger, error);
            metrics.Checked("invalid_jti", policy);
            return RevocationVerdict.InvalidJti;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var revoked = await grains.GetGrain<ITokenGrain>(jti).IsRevokedAsync().AsTask()
                .WaitAsync(settings.Timeout, cancellationToken);
            metrics.CheckDuration(Stopwatch.GetElapsedTime(started));
            if (revoked)
            {
                RevocationCheckLog.RejectedRevoked(logger, jti);
                metrics.Checked("revoked", policy);
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
                RevocationCheckLog.FailedOpen(logger, ex, jti);
                return RevocationVerdict.NotRevoked;
            }

            RevocationCheckLog.FailedClosed(logger, ex, jti);
            return RevocationVerdict.Unavailable;
        }
    }
}
