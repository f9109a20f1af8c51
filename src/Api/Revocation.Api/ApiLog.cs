using Microsoft.Extensions.Logging;
using Revocation.Api.Registry;

namespace Revocation.Api;

/// <summary>
/// Every log message of the API node, by feature; event ids: 1401 the management port, 1402 the
/// check mode, 41xx
/// revocations and log out everywhere, 4201 the development issuer, 4301 forward auth, 45xx
/// back-channel logout, 46xx Shared Signals. Issuers, jtis, subjects and sids only, never a token.
/// </summary>
internal static partial class ApiLog
{
    // The management port (ManagementPort)
    [LoggerMessage(EventId = 1401, Level = LogLevel.Error,
        Message = "Management:Url {Url} is not among the addresses Kestrel bound (Kestrel endpoints configured in code or Kestrel:Endpoints replace the URL list): /metrics and /openapi/v1.json are unreachable; add an endpoint for that port there")]
    internal static partial void ManagementUrlNotBound(ILogger logger, string url);

    // The check mode (CheckModeReloadWatch)
    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning,
        Message = "Reloaded settings change {Settings}: these need a restart; the check stays in mode {Mode} with its start values until then")]
    internal static partial void CheckModeReloadNeedsRestart(ILogger logger, string settings, CheckModes.CheckMode mode);

    // Log out everywhere: the issuer's clock (SubjectNotBefore)
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Log out everywhere: no token of issuer {Issuer} was checked on this node within LogoutEverywhere:IssuerClockWindow ({Window}), so its clock is assumed to run the full Jwt:ClockSkew ({Skew}) ahead; a sign-in right after may be refused for up to that long (logged once per issuer, counted in revocation_subject_issuer_clock_unknown_total)")]
    internal static partial void IssuerClockUnknown(ILogger logger, string issuer, TimeSpan window, TimeSpan skew);

    // Revocations through the registry (RegistryCalls)
    [LoggerMessage(EventId = 4102, Level = LogLevel.Error,
        Message = "Log out everywhere of {Subject} of issuer {Issuer} refused by the registry: the not-before {NotBefore:o} taken on this node's clock is too far from the silo's ({Reason}); check both clocks")]
    internal static partial void SubjectNotBeforeRefused(ILogger logger, string issuer, string subject, DateTimeOffset notBefore, string reason);

    // The development issuer
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning,
        Message = "The development token issuer is on (environment {Environment}, Issuer:Enabled): POST /auth/token mints a token for any subject and scope, admin included, to anyone who reaches this node; never run Development where untrusted callers can reach it")]
    internal static partial void DevelopmentIssuerOn(ILogger logger, string environment);

    // Forward auth (ForwardAuthApi)
    [LoggerMessage(EventId = 4301, Level = LogLevel.Information,
        Message = "An accepted token's {Claim} claim was not forwarded in {Header}: it is not one string of printable ASCII of at most 1024 characters; the backend receives no {Header} header")]
    internal static partial void ForwardClaimLeftOut(ILogger logger, string claim, string header);

    // OpenID Connect Back-Channel Logout (BackchannelLogoutReceiver)
    [LoggerMessage(EventId = 4501, Level = LogLevel.Information,
        Message = "Back-channel logout of issuer {Issuer} (logout token {Jti}): revoked subject {Subject} session {SessionId} up to {IssuedAt:o}, acknowledged by every node")]
    internal static partial void BackchannelRevoked(ILogger logger, string issuer, string jti, string? subject, string? sessionId, DateTimeOffset issuedAt);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Back-channel logout token refused ({Reason}): {Description}")]
    internal static partial void BackchannelRefused(ILogger logger, string reason, string description);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "Back-channel logout token {Jti} of issuer {Issuer} refused as a replay ({Claim})")]
    internal static partial void BackchannelReplayed(ILogger logger, string issuer, string jti, ReceivedOnceOutcome claim);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "Back-channel logout token {Jti} of issuer {Issuer}: the revocation failed; nothing confirmed")]
    internal static partial void BackchannelFailed(ILogger logger, Exception exception, string issuer, string jti);

    // Delivered tokens seen once (ReceivedOnce)
    [LoggerMessage(EventId = 4505, Level = LogLevel.Warning, Message = "Token {Jti} of issuer {Issuer} delivered by its provider: revoked, but not recorded as seen (a replay would revoke the same again)")]
    internal static partial void ReceivedRecordFailed(ILogger logger, Exception exception, string issuer, string jti);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Warning, Message = "Token {Jti} of issuer {Issuer} delivered by its provider: its claim could not be released (it lapses within a minute)")]
    internal static partial void ReceivedReleaseFailed(ILogger logger, Exception exception, string issuer, string jti);

    // Shared Signals events (SharedSignalsReceiver)
    [LoggerMessage(EventId = 4601, Level = LogLevel.Information,
        Message = "Shared Signals {EventType} from {Transmitter} (SET {Jti}): revoked session {SessionId} of issuer {Issuer}, acknowledged by every node")]
    internal static partial void SetSessionRevoked(ILogger logger, string eventType, string transmitter, string jti, string issuer, string sessionId);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information,
        Message = "Shared Signals {EventType} from {Transmitter} (SET {Jti}): revoked every token of subject {Subject} of issuer {Issuer} issued before {NotBefore:o}, acknowledged by every node")]
    internal static partial void SetSubjectRevoked(ILogger logger, string eventType, string transmitter, string jti, string issuer, string subject, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Information, Message = "Shared Signals verification event from {Transmitter} (SET {Jti}) for stream {StreamId}: acknowledged")]
    internal static partial void SetVerified(ILogger logger, string transmitter, string jti, string? streamId);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Shared Signals {EventType} from {Transmitter} (SET {Jti}) ignored: {Reason}")]
    internal static partial void SetIgnored(ILogger logger, string eventType, string transmitter, string jti, string reason);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Warning, Message = "Shared Signals SET refused ({Error}): {Description}")]
    internal static partial void SetRefused(ILogger logger, string error, string description);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Information, Message = "Shared Signals SET {Jti} from {Transmitter} received before: accepted again, nothing done")]
    internal static partial void SetDuplicate(ILogger logger, string transmitter, string jti);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Error, Message = "Shared Signals SET {Jti} from {Transmitter}: a revocation failed; nothing confirmed")]
    internal static partial void SetFailed(ILogger logger, Exception exception, string transmitter, string jti);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Error, Message = "Shared Signals: the keys of transmitter {Transmitter} could not be fetched; SET not verified")]
    internal static partial void SetKeysUnavailable(ILogger logger, Exception exception, string? transmitter);
}
