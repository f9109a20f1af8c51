using Microsoft.Extensions.Logging;

namespace Revocation.AspNetCore;

/// <summary>
/// Every log message of the revocation check, by feature; event ids: 30xx the check, 31xx the
/// near cache's lease, 40xx the registry client. The jti, never the token.
/// </summary>
internal static partial class RevocationCheckLog
{
    // The check (RevocationChecker)
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Rejected token {Jti}: {Outcome}")]
    internal static partial void Rejected(ILogger logger, string outcome, string? jti);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "{Count} more token rejections were not logged in the last {Window} (at most {Budget} lines per window; revocation_checks_total counts them all)")]
    internal static partial void RejectionsSuppressed(ILogger logger, long count, TimeSpan window, int budget);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Registry unavailable checking token {Jti}; failing closed (503)")]
    internal static partial void FailedClosed(ILogger logger, Exception exception, string? jti);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Registry unavailable checking token {Jti}; failing open (accepted unchecked)")]
    internal static partial void FailedOpen(ILogger logger, Exception exception, string? jti);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning,
        Message = "{Count} more failed checks were not logged in the last {Window} (at most {Budget} lines per window, each kind of failure once; revocation_checks_total counts them all as errors)")]
    internal static partial void FailuresSuppressed(ILogger logger, long count, TimeSpan window, int budget);

    // Settings reloaded at run time (RevocationCheckSettings)
    [LoggerMessage(EventId = 3010, Level = LogLevel.Error,
        Message = "Reloaded revocation check settings refused, the last valid ones stay in force: {Reason}")]
    internal static partial void ReloadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning,
        Message = "Reloaded revocation check settings change {Settings}: these need a restart and keep their start values until then")]
    internal static partial void ReloadNeedsRestart(ILogger logger, string settings);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information,
        Message = "Revocation check settings reloaded: FailurePolicy={FailurePolicy}, Timeout={Timeout}, RequireJti={RequireJti}, CheckSubject={CheckSubject}")]
    internal static partial void Reloaded(ILogger logger, RevocationFailurePolicy failurePolicy, TimeSpan timeout, bool requireJti, bool checkSubject);

    // The near cache's lease (NodeLease)
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Near cache: new lease {LeaseId} for {Duration}; answers cached before it were dropped")]
    internal static partial void NewLease(ILogger logger, Guid leaseId, TimeSpan duration);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Near cache: new lease {LeaseId} from a new lease grain activation while the previous lease still held; cached answers kept (the registry sends every revocation since it started)")]
    internal static partial void ContinuedLease(ILogger logger, Guid leaseId);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Near cache: the wall clock ran {Ahead} ahead of the monotonic clock since the last renewal (a suspend, a VM pause or restore, or a clock step); lease still held: {Held}. Cached answers are served again once the registry renews the lease")]
    internal static partial void ClocksDisagree(ILogger logger, TimeSpan ahead, bool held);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Near cache: giving the lease up on shutdown failed; it runs out by itself")]
    internal static partial void LeaseReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Near cache: lease renewal failed (lease still held: {Held}); without a lease every check asks the registry. Repeats are logged every 30 s ({NotLogged} failed since the last line)")]
    internal static partial void LeaseRenewalFailed(ILogger logger, Exception exception, bool held, long notLogged);

    // The registry client (AddRevocationRegistryClient)
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Registry cluster not reachable yet; retrying: {Error}")]
        internal static partial void ClientRetry(ILogger logger, string error);
}
