using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Revocation.Api.Registry;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// What a pushed SET does once read: verified (<see cref="SecurityEventTokenValidator"/>), its events
/// read (<see cref="SecurityEventInterpreter"/>), claimed at the replay grain of its (<c>iss</c>,
/// <c>jti</c>) — one delivery wins cluster-wide — then each revocation made, and the SET recorded as
/// received. Accepted (202) only once every revocation is durable and every API node acknowledged
/// it; a SET recorded before is accepted again without acting (a transmitter that missed the first
/// 202 delivers it again), so a replay changes nothing. A revocation that fails releases the claim:
/// the transmitter's next delivery is acted on.
/// </summary>
internal sealed partial class SharedSignalsReceiver(
    SecurityEventTokenValidator validator,
    IOptions<SharedSignalsOptions> options,
    ReceivedOnce once,
    RegistryCalls registry,
    SharedSignalsMetrics metrics,
    TimeProvider time,
    ILogger<SharedSignalsReceiver> logger)
{
    /// <summary>The endpoint label of the revocations made here (<c>revocation.revocations</c>).</summary>
    public const string Endpoint = "shared_signals";

    public async Task<SetOutcome> ReceiveAsync(JsonWebToken token, CancellationToken cancellationToken)
    {
        SecurityEventToken? set;
        SetRefusal? refusal;
        try
        {
            (set, refusal) = await validator.ValidateAsync(token, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The transmitter's keys could not be fetched: nothing is known about the SET yet.
            metrics.Set("error", "keys");
            LogKeysUnavailable(logger, ex, token.Issuer);
            return new SetOutcome.Unavailable("The transmitter's keys could not be fetched; deliver the SET again.");
        }

        if (set is null || refusal is not null)
        {
            return Refused(refusal!);
        }

        var (actions, invalid) = SecurityEventInterpreter.Interpret(set, options.Value, time.GetUtcNow());
        if (actions is null)
        {
            return Refused(invalid!);
        }

        var done = await once.RunAsync(set.Transmitter.Issuer!, set.Jti, set.IssuedAt + options.Value.MaxEventAge, () => ActAsync(set, actions, cancellationToken), cancellationToken);
        switch (done.Outcome)
        {
            case ReceivedOnceOutcome.Failed:
                return Failed(set, done.Error!);
            case ReceivedOnceOutcome.Seen:
                metrics.Set("duplicate");
                LogDuplicate(logger, set.Transmitter.Issuer!, set.Jti);
                return new SetOutcome.Accepted();
            case ReceivedOnceOutcome.InProgress:
                metrics.Set("error", "in_progress");
                return new SetOutcome.Unavailable("This SET (its jti) is being processed from another delivery; deliver it again.");
        }

        metrics.Set("accepted");
        return new SetOutcome.Accepted();
    }

    private async Task ActAsync(SecurityEventToken set, IReadOnlyList<SecurityEventAction> actions, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            await ActAsync(set, action, cancellationToken);
        }
    }

    private async Task ActAsync(SecurityEventToken set, SecurityEventAction action, CancellationToken cancellationToken)
    {
        var transmitter = set.Transmitter.Issuer!;
        switch (action)
        {
            case SecurityEventAction.RevokeSession(var type, var session):
                await registry.RevokeSessionAsync(session.Issuer, session.Value, $"ssf {type} from {transmitter}", Endpoint, cancellationToken);
                metrics.Event(type, "session");
                LogSessionRevoked(logger, type, transmitter, set.Jti, session.Issuer, session.Value);
                break;
            case SecurityEventAction.RevokeSubject(var type, var subject, var notBefore):
                await registry.RevokeSubjectBeforeAsync(subject.Issuer, subject.Value, notBefore, Endpoint, cancellationToken);
                metrics.Event(type, "subject");
                LogSubjectRevoked(logger, type, transmitter, set.Jti, subject.Issuer, subject.Value, notBefore);
                break;
            case SecurityEventAction.Verify(var type, var stream):
                metrics.Event(type, "verified");
                LogVerified(logger, transmitter, set.Jti, stream);
                break;
            case SecurityEventAction.Ignore(var type, var reason):
                metrics.Event(type, "ignored");
                LogIgnored(logger, type, transmitter, set.Jti, reason);
                break;
        }
    }

    private SetOutcome.Refused Refused(SetRefusal refusal)
    {
        metrics.Set("refused", refusal.Error);
        LogRefused(logger, refusal.Error, refusal.Description);
        return new SetOutcome.Refused(refusal);
    }

    private SetOutcome.Unavailable Failed(SecurityEventToken set, Exception exception)
    {
        metrics.Set("error", "registry");
        LogFailed(logger, exception, set.Transmitter.Issuer!, set.Jti);
        return new SetOutcome.Unavailable("The revocation could not be completed; nothing is confirmed. Deliver the SET again.");
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information,
        Message = "Shared Signals {EventType} from {Transmitter} (SET {Jti}): revoked session {SessionId} of issuer {Issuer}, acknowledged by every node")]
    private static partial void LogSessionRevoked(ILogger logger, string eventType, string transmitter, string jti, string issuer, string sessionId);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information,
        Message = "Shared Signals {EventType} from {Transmitter} (SET {Jti}): revoked every token of subject {Subject} of issuer {Issuer} issued before {NotBefore:o}, acknowledged by every node")]
    private static partial void LogSubjectRevoked(ILogger logger, string eventType, string transmitter, string jti, string issuer, string subject, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Information, Message = "Shared Signals verification event from {Transmitter} (SET {Jti}) for stream {StreamId}: acknowledged")]
    private static partial void LogVerified(ILogger logger, string transmitter, string jti, string? streamId);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Shared Signals {EventType} from {Transmitter} (SET {Jti}) ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string eventType, string transmitter, string jti, string reason);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Warning, Message = "Shared Signals SET refused ({Error}): {Description}")]
    private static partial void LogRefused(ILogger logger, string error, string description);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Information, Message = "Shared Signals SET {Jti} from {Transmitter} received before: accepted again, nothing done")]
    private static partial void LogDuplicate(ILogger logger, string transmitter, string jti);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Error, Message = "Shared Signals SET {Jti} from {Transmitter}: a revocation failed; nothing confirmed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string transmitter, string jti);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Error, Message = "Shared Signals: the keys of transmitter {Transmitter} could not be fetched; SET not verified")]
    private static partial void LogKeysUnavailable(ILogger logger, Exception exception, string? transmitter);
}
