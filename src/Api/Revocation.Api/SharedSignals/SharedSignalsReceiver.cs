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
internal sealed class SharedSignalsReceiver(
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
            ApiLog.SetKeysUnavailable(logger, ex, token.Issuer);
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
                ApiLog.SetDuplicate(logger, set.Transmitter.Issuer!, set.Jti);
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
                ApiLog.SetSessionRevoked(logger, type, transmitter, set.Jti, session.Issuer, session.Value);
                break;
            case SecurityEventAction.RevokeSubject(var type, var subject, var notBefore):
                await registry.RevokeSubjectBeforeAsync(subject.Issuer, subject.Value, notBefore, Endpoint, cancellationToken);
                metrics.Event(type, "subject");
                ApiLog.SetSubjectRevoked(logger, type, transmitter, set.Jti, subject.Issuer, subject.Value, notBefore);
                break;
            case SecurityEventAction.Verify(var type, var stream):
                metrics.Event(type, "verified");
                ApiLog.SetVerified(logger, transmitter, set.Jti, stream);
                break;
            case SecurityEventAction.Ignore(var type, var reason):
                metrics.Event(type, "ignored");
                ApiLog.SetIgnored(logger, type, transmitter, set.Jti, reason);
                break;
        }
    }

    private SetOutcome.Refused Refused(SetRefusal refusal)
    {
        metrics.Set("refused", refusal.Error);
        ApiLog.SetRefused(logger, refusal.Error, refusal.Description);
        return new SetOutcome.Refused(refusal);
    }

    private SetOutcome.Unavailable Failed(SecurityEventToken set, Exception exception)
    {
        metrics.Set("error", "registry");
        ApiLog.SetFailed(logger, exception, set.Transmitter.Issuer!, set.Jti);
        return new SetOutcome.Unavailable("The revocation could not be completed; nothing is confirmed. Deliver the SET again.");
    }
}
