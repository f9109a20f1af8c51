using Microsoft.Extensions.Logging;

namespace Revocation.Grains;

/// <summary>
/// Log messages of the grains that hold one revocation row each (tokens by jti, sessions by sid).
/// Only the issuer and the jti or sid are ever logged, never a token.
/// </summary>
internal static partial class RevocationRowLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Revoked {Kind} {Key} of issuer {Issuer} until {ExpiresAt:o}")]
    public static partial void Revoked(ILogger logger, string kind, string issuer, string key, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Revocation of {Kind} {Key} of issuer {Issuer} ignored: it expired at {ExpiresAt:o}")]
    public static partial void RevokeOfExpiredIgnored(ILogger logger, string kind, string issuer, string key, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Revocation of {Kind} {Key} of issuer {Issuer} failed; nothing was acknowledged")]
    public static partial void RevokeFailed(ILogger logger, Exception exception, string kind, string issuer, string key);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Reading the revocation status of {Kind} {Key} of issuer {Issuer} failed")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string kind, string issuer, string key);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "The revocation of {Kind} {Key} of issuer {Issuer} ended at {ExpiresAt:o}; deactivating")]
    public static partial void Expired(ILogger logger, string kind, string issuer, string key, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "A {Kind} grain activated with an invalid key: {Error}")]
    public static partial void InvalidKey(ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Kind} grains reached {Setting} ({Limit}) on this silo: {Evicted} least recently used evicted since the last report; their next checks read the database again")]
    public static partial void CapReached(ILogger logger, string kind, string setting, int limit, long evicted);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Revocation of {Kind} {Key} of issuer {Issuer} is recorded but the API nodes could not all be told; the caller gets an error and may retry")]
    public static partial void NotifyFailed(ILogger logger, Exception exception, string kind, string issuer, string key);
}
