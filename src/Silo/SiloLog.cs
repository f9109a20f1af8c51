using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Revocation.Silo.Rejuvenation;

namespace Revocation.Silo;

/// <summary>
/// Every log message of the silo host, by feature; event ids: 20xx the database at start, 21xx
/// migrations, 50xx rejuvenation. Connection strings, keys and tokens are never logged.
/// </summary>
internal static partial class SiloLog
{
    // The registry database at start (DatabaseConnector)
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Registry database {Database} not reachable yet; retrying in {Delay}: {Error}")]
    internal static partial void DatabaseRetry(ILogger logger, string database, TimeSpan delay, string? error);

    // Schema migrations (SchemaMigrator)
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Applied migration {Version:D4} {Name}")]
    internal static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Schema at version {Version:D4} ({Applied} migrations applied by this run)")]
    internal static partial void SchemaUpToDate(ILogger logger, int version, int applied);

    // Rejuvenation: recycling this silo (SiloRecycler)
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "Rejuvenation on: recycle after {Lifetime} (MaxLifetime {MaxLifetime} less jitter), memory limit {MemoryLimit} bytes, at most {MaxConcurrent} at a time, at least {MinSilos} other silos staying")]
    internal static partial void RejuvenationEnabled(ILogger logger, TimeSpan? lifetime, TimeSpan? maxLifetime, long? memoryLimit, int maxConcurrent, int minSilos);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information,
        Message = "Recycle due ({Reason}; process age {ProcessAge}, memory {MemoryBytes} bytes); waiting for a turn")]
    internal static partial void RecycleDue(ILogger logger, string reason, TimeSpan processAge, long memoryBytes);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information,
        Message = "No recycling turn yet: {HeldByOthers} held by other silos (Rejuvenation:MaxConcurrent {MaxConcurrent}), {OtherActive} other active silos (Rejuvenation:MinSilos {MinSilos})")]
    internal static partial void RecycleBlocked(ILogger logger, int heldByOthers, int maxConcurrent, int otherActive, int minSilos);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning,
        Message = "The recycling turn of silo {Holder} expired before it came back; the turn is free again")]
    internal static partial void RecycleTurnExpired(ILogger logger, RecycleHolder holder);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning,
        Message = "Asking for a recycling turn failed; retrying in {Period}")]
    internal static partial void RecycleTurnRequestFailed(ILogger logger, TimeSpan period, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning,
        Message = "Recycling silo {Holder}: reason {Reason}, process age {ProcessAge}, memory {MemoryBytes} bytes, waited {Waited} for the turn; stopping gracefully, exit status {ExitCode}")]
    internal static partial void Recycling(ILogger logger, RecycleHolder holder, string reason, TimeSpan processAge, long memoryBytes, TimeSpan waited, int exitCode);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning,
        Message = "Ending the previous process's recycling turn (and reading its recycles from recycle_turns) failed; retrying in {Period}. Until then no other silo gets a turn, at most until the turn's Rejuvenation:TurnTimeout")]
    internal static partial void RecycleTurnReturnFailed(ILogger logger, TimeSpan period, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information,
        Message = "Silo {Holder} is back from recycling and serving; its recycling turn is over")]
    internal static partial void RecycleTurnReturned(ILogger logger, RecycleHolder holder);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information,
        Message = "Started, but /health/ready answers {Status}: the turn of the process this one replaced ends once it is ready.")]
    internal static partial void RecycleWaitsForReadiness(ILogger logger, HealthStatus status);
}
