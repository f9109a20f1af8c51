using Microsoft.Extensions.Logging;

namespace Revocation.AspNetCore;

/// <summary>Revocation check log messages: the jti, never the token.</summary>
internal static partial class RevocationCheckLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Rejected token {Jti}: {Outcome}")]
    public static partial void Rejected(ILogger logger, string outcome, string? jti);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "{Count} more token rejections were not logged in the last {Window} (at most {Budget} lines per window; revocation_checks_total counts them all)")]
    public static partial void RejectionsSuppressed(ILogger logger, long count, TimeSpan window, int budget);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Registry unavailable checking token {Jti}; failing closed (503)")]
    public static partial void FailedClosed(ILogger logger, Exception exception, string? jti);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Registry unavailable checking token {Jti}; failing open (accepted unchecked)")]
    public static partial void FailedOpen(ILogger logger, Exception exception, string? jti);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning,
        Message = "{Count} more failed checks were not logged in the last {Window} (at most {Budget} lines per window, each kind of failure once; revocation_checks_total counts them all as errors)")]
    public static partial void FailuresSuppressed(ILogger logger, long count, TimeSpan window, int budget);
}
