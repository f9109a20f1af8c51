using Microsoft.Extensions.Logging;

namespace Revocation.Silo.Rejuvenation;

internal static partial class RejuvenationLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "Rejuvenation on: recycle after {Lifetime} (MaxLifetime {MaxLifetime} less jitter), memory limit {MemoryLimit} bytes, at most {MaxConcurrent} at a time, at least {MinSilos} other silos staying")]
    public static partial void Enabled(ILogger logger, TimeSpan? lifetime, TimeSpan? maxLifetime, long? memoryLimit, int maxConcurrent, int minSilos);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information,
        Message = "Recycle due ({Reason}; process age {ProcessAge}, memory {MemoryBytes} bytes); waiting for a turn")]
    public static partial void Due(ILogger logger, string reason, TimeSpan processAge, long memoryBytes);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information,
        Message = "No recycling turn yet: {HeldByOthers} held by other silos (Rejuvenation:MaxConcurrent {MaxConcurrent}), {OtherActive} other active silos (Rejuvenation:MinSilos {MinSilos})")]
    public static partial void Blocked(ILogger logger, int heldByOthers, int maxConcurrent, int otherActive, int minSilos);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning,
        Message = "The recycling turn of silo {Holder} expired before it came back; the turn is free again")]
    public static partial void TurnExpired(ILogger logger, RecycleHolder holder);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning,
        Message = "Asking for a recycling turn failed; retrying in {Period}")]
    public static partial void TurnRequestFailed(ILogger logger, TimeSpan period, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning,
        Message = "Recycling silo {Holder}: reason {Reason}, process age {ProcessAge}, memory {MemoryBytes} bytes, waited {Waited} for the turn; stopping gracefully, exit status {ExitCode}")]
    public static partial void Recycling(ILogger logger, RecycleHolder holder, string reason, TimeSpan processAge, long memoryBytes, TimeSpan waited, int exitCode);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning,
        Message = "Ending the previous process's recycling turn (and reading its recycles from recycle_turns) failed; retrying in {Period}. Until then no other silo gets a turn, at most until the turn's Rejuvenation:TurnTimeout")]
    public static partial void ReturnFailed(ILogger logger, TimeSpan period, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information,
        Message = "Silo {Holder} is back from recycling and serving; its recycling turn is over")]
    public static partial void TurnReturned(ILogger logger, RecycleHolder holder);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information,
        Message = "Started, but /health/ready answers {Status}: the turn of the process this one replaced ends once it is ready.")]
    public static partial void NotReadyYet(ILogger logger, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus status);
}
