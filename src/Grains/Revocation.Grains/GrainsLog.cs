using Microsoft.Extensions.Logging;

namespace Revocation.Grains;

/// <summary>
/// Every log message of the grains, by feature; event ids: 10xx revocation rows (token and
/// session grains) and their activation caps, 11xx the sweeper, 12xx subjects, 13xx the node lease
/// service, 17xx silo-internal calls, 18xx delivered tokens. Only issuers and jtis, subjects or
/// sids are ever logged, never a token.
/// </summary>
internal static partial class GrainsLog
{
    // Revocation rows: token and session grains (RevocationRowGrain, their activation caps)
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Revoked {Kind} {Key} of issuer {Issuer} until {ExpiresAt:o}")]
    internal static partial void RowRevoked(ILogger logger, string kind, string issuer, string key, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Revocation of {Kind} {Key} of issuer {Issuer} ignored: it expired at {ExpiresAt:o}")]
    internal static partial void RowRevokeOfExpiredIgnored(ILogger logger, string kind, string issuer, string key, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Revocation of {Kind} {Key} of issuer {Issuer} failed; nothing was acknowledged")]
    internal static partial void RowRevokeFailed(ILogger logger, Exception exception, string kind, string issuer, string key);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Reading the revocation status of {Kind} {Key} of issuer {Issuer} failed")]
    internal static partial void RowReadFailed(ILogger logger, Exception exception, string kind, string issuer, string key);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "The revocation of {Kind} {Key} of issuer {Issuer} ended at {ExpiresAt:o}; deactivating")]
    internal static partial void RowExpired(ILogger logger, string kind, string issuer, string key, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "A {Kind} grain activated with an invalid key: {Error}")]
    internal static partial void RowInvalidKey(ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Kind} grains reached {Setting} ({Limit}) on this silo: {Evicted} least recently used evicted since the last report; their next checks read the database again")]
    internal static partial void RowCapReached(ILogger logger, string kind, string setting, int limit, long evicted);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Revocation of {Kind} {Key} of issuer {Issuer} is recorded but the API nodes could not all be told; the caller gets an error and may retry")]
    internal static partial void RowNotifyFailed(ILogger logger, Exception exception, string kind, string issuer, string key);

    // The expired-row sweeper (SweeperGrain)
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Sweep deleted {Rows} expired revocations in {Batches} batches in {Duration} (drained: {Drained})")]
    internal static partial void SweepFinished(ILogger logger, long rows, int batches, TimeSpan duration, bool drained);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Sweep failed after deleting {Rows} rows; the next tick retries: {Error}")]
    internal static partial void SweepFailed(ILogger logger, long rows, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Sweep succeeded but its time could not be recorded; revocation_sweeper_last_success lags until the next sweep")]
    internal static partial void SweepSuccessNotRecorded(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning,
        Message = "The sweep reminder could not be read or registered; the caller gets an error and may retry")]
    internal static partial void SweepScheduleFailed(ILogger logger, Exception exception);

    // Subjects: log out everywhere (SubjectGrain)
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Revoked every token of subject {Subject} of issuer {Issuer} issued before {NotBefore:o}")]
    internal static partial void SubjectRevoked(ILogger logger, string issuer, string subject, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Subject-wide revocation of {Subject} of issuer {Issuer}: the write failed; reloading the stored state and retrying once")]
    internal static partial void SubjectWriteRetried(ILogger logger, Exception exception, string issuer, string subject);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Subject-wide revocation of {Subject} of issuer {Issuer} is recorded but the API nodes could not all be told; the caller gets an error and may retry")]
    internal static partial void SubjectNotifyFailed(ILogger logger, Exception exception, string issuer, string subject);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Subject-wide revocation of {Subject} of issuer {Issuer} refused: {Reason}")]
    internal static partial void SubjectNotBeforeRefused(ILogger logger, string issuer, string subject, string reason);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "Subject {Subject} of issuer {Issuer}: reading its not-before again found a later one, {NotBefore:o} (written through another activation)")]
    internal static partial void SubjectRereadLater(ILogger logger, string issuer, string subject, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "Subject {Subject} of issuer {Issuer}: its not-before could not be read again; the check fails per its policy")]
    internal static partial void SubjectRereadFailed(ILogger logger, Exception exception, string issuer, string subject);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Subject-wide revocation of {Subject} of issuer {Issuer} failed; nothing was acknowledged")]
    internal static partial void SubjectRevokeFailed(ILogger logger, Exception exception, string issuer, string subject);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Information, Message = "Subject {Subject} of issuer {Issuer}: adopted its not-before {NotBefore:o} from before issuer-scoped keys (migration 0009)")]
    internal static partial void SubjectLegacyAdopted(ILogger logger, string issuer, string subject, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Subject {Subject} of issuer {Issuer}: its not-before from before issuer-scoped keys is held, but copying it under the new key failed; it is read from the old row again at the next activation")]
    internal static partial void SubjectLegacyCopyFailed(ILogger logger, Exception exception, string issuer, string subject);

    // Subject grains' activation cap
    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Subject grains reached SubjectRevocation:MaxActivationsPerSilo ({Limit}) on this silo: {Evicted} least recently used evicted since the last report; their next checks read the database again")]
    internal static partial void SubjectCapReached(ILogger logger, int limit, long evicted);

    // The node lease service (NodeLeaseGrain)
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Node lease grain activated (partition {Partition} of {Partitions}, leases of {LeaseDuration}); revocations wait one lease for leases granted before")]
    internal static partial void LeaseServiceActivated(ILogger logger, int partition, int partitions, TimeSpan leaseDuration);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "New lease for API node {NodeId}")]
    internal static partial void LeaseGranted(ILogger logger, Guid nodeId);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Debug, Message = "Refused a renewal for API node {NodeId} from a client other than its lease's holder")]
    internal static partial void LeaseRefusedHolder(ILogger logger, Guid nodeId);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "API node {NodeId} did not acknowledge {Count} revocation(s) before its lease ran out; it serves no cached answer until it holds a new lease")]
    internal static partial void LeaseLapsed(ILogger logger, Guid nodeId, int count);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "API node {NodeId} gave its lease up (shutting down)")]
    internal static partial void LeaseReleased(ILogger logger, Guid nodeId);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "Lease partition refused: {Error}")]
    internal static partial void LeaseRefusedKey(ILogger logger, string error);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Debug, Message = "Delivering revocations to API node {NodeId} failed; retrying while its lease lasts")]
    internal static partial void NoticeDeliveryFailed(ILogger logger, Exception exception, Guid nodeId);

    // Silo-internal grain interfaces (SiloInternalCallFilter)
    [LoggerMessage(EventId = 1701, Level = LogLevel.Debug, Message = "Refused a client's call to silo-internal {Interface}.{Method} (caller {Caller})")]
    internal static partial void InternalCallRefused(ILogger logger, string @interface, string method, GrainId? caller);

    // Delivered tokens seen once (ReceivedTokenGrain)
    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning,
        Message = "Delivered token {Jti} of issuer {Issuer} recorded as seen without the caller holding its claim (it lapsed after a minute)")]
    internal static partial void ReceivedRecordWithoutClaim(ILogger logger, string issuer, string jti);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Error, Message = "Delivered token {Jti} of issuer {Issuer} could not be recorded as seen")]
    internal static partial void ReceivedRecordFailed(ILogger logger, Exception exception, string issuer, string jti);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Error, Message = "Whether delivered token {Jti} of issuer {Issuer} was seen before could not be read; its grain does not activate")]
    internal static partial void ReceivedReadFailed(ILogger logger, Exception exception, string issuer, string jti);
}
