using Microsoft.Extensions.Logging;

namespace Revocation.AspNetCore;

/// <summary>Revocation check log messages: the jti, never the token.</summary>
internal static partial class RevocationCheckLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Rejected revoked token {Jti}")]
    public static partial void RejectedRevoked(ILogger logger, string jti);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Rejected a token without jti")]
    public static partial void RejectedMissingJti(ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Rejected a token with an invalid jti: {Error}")]
    public static partial void RejectedInvalidJti(ILogger logger, string error);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Registry unavailable checking token {Jti}; failing closed (503)")]
    public static partial void FailedClosed(ILogger logger, Exception exception, string jti);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Registry unavailable checking token {Jti}; failing open (accepted unchecked)")]
    public static partial void FailedOpen(ILogger logger, Exception exception, string jti);
}
