using System.Text.Json;
using Revocation.Abstractions;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// Reads what each event of a verified SET asks: CAEP <c>session-revoked</c> revokes the session it
/// names (or, naming only a user, every token of the user issued up to the event); CAEP
/// <c>credential-change</c>, RISC <c>account-disabled</c> and <c>credential-compromise</c> revoke
/// every token of the user issued up to the event; a verification event is acknowledged; every other
/// event is accepted and ignored. A transmitter speaks for one token issuer only
/// (<see cref="TransmitterOptions.SubjectIssuer"/>): a subject of another issuer is ignored, so that no
/// transmitter can log out the users of an identity provider it does not speak for.
/// </summary>
internal static class SecurityEventInterpreter
{
    public static (IReadOnlyList<SecurityEventAction>? Actions, SetRefusal? Refusal) Interpret(SecurityEventToken set, SharedSignalsOptions options, DateTimeOffset now)
    {
        var subjectIssuer = set.Transmitter.SubjectIssuer ?? set.Transmitter.Issuer!;
        JsonElement? topLevelSubject = set.Payload.TryGetProperty("sub_id", out var subId) ? subId : null;
        var actions = new List<SecurityEventAction>();
        foreach (var e in set.Payload.GetProperty("events").EnumerateObject())
        {
            var type = SecurityEventTypes.NameOf(e.Name);
            if (OccurredAt(e.Value, set.IssuedAt, now + options.ClockSkew) is not { } at)
            {
                return (null, SetRefusal.InvalidRequest($"The {type} event's event_timestamp is not a number of seconds, or lies further ahead of this receiver's clock than SharedSignals:ClockSkew ({options.ClockSkew})."));
            }

            // SSF 1.0 §3.1: sub_id is the subject; CAEP/RISC events of before carry theirs as "subject".
            var identifier = topLevelSubject ?? (e.Value.TryGetProperty("subject", out var own) ? own : default);
            var notBefore = NotBefore(at, now, options);
            actions.Add(e.Name switch
            {
                SecurityEventTypes.SessionRevoked => Scoped(EventSubject.Read(identifier, subjectIssuer, opaqueIsSession: true), subjectIssuer) switch
                {
                    { Session: { } session } => new SecurityEventAction.RevokeSession(type, session),
                    { User: { } user } => new SecurityEventAction.RevokeSubject(type, user, notBefore),
                    _ => Unknown(type, identifier),
                },
                SecurityEventTypes.CredentialChange or SecurityEventTypes.AccountDisabled or SecurityEventTypes.CredentialCompromise =>
                    Scoped(EventSubject.Read(identifier, subjectIssuer, opaqueIsSession: false), subjectIssuer) switch
                    {
                        { User: { } user } => new SecurityEventAction.RevokeSubject(type, user, notBefore),
                        _ => Unknown(type, identifier),
                    },
                SecurityEventTypes.Verification => new SecurityEventAction.Verify(type, StreamId(identifier)),
                _ => new SecurityEventAction.Ignore(type, "event type not acted on"),
            });
        }

        return (actions, null);
    }

    /// <summary>
    /// Tokens issued up to the event (its second included: <c>iat</c> has whole seconds) are refused,
    /// as are those of an event that took longer than <see cref="SharedSignalsOptions.MaxNotBeforeAge"/>
    /// to arrive, up to that long ago: more than it asked, never less, and within what a silo accepts.
    /// </summary>
    private static DateTimeOffset NotBefore(DateTimeOffset at, DateTimeOffset now, SharedSignalsOptions options)
    {
        var asked = at + TimeSpan.FromSeconds(1);
        var oldest = now - options.MaxNotBeforeAge;
        return asked < oldest ? oldest : asked;
    }

    /// <summary>CAEP §2: <c>event_timestamp</c>, when present, is when it happened; otherwise the SET's <c>iat</c> stands for it.</summary>
    private static DateTimeOffset? OccurredAt(JsonElement e, DateTimeOffset issuedAt, DateTimeOffset latest)
    {
        if (!e.TryGetProperty("event_timestamp", out var timestamp))
        {
            return issuedAt;
        }

        if (!timestamp.TryGetInt64(out var seconds) || seconds < 0 || seconds > latest.ToUnixTimeSeconds())
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>Only the transmitter's own issuer's users and sessions.</summary>
    private static EventSubject Scoped(EventSubject subject, string subjectIssuer) => new(
        subject.User is { } user && user.Issuer == subjectIssuer ? user : null,
        subject.Session is { } session && session.Issuer == subjectIssuer ? session : null);

    private static SecurityEventAction.Ignore Unknown(string type, JsonElement identifier) =>
        new SecurityEventAction.Ignore(type, identifier.ValueKind == JsonValueKind.Object
            ? "its subject names no user or session of the transmitter's token issuer in a format read here (iss_sub, opaque, complex, aliases)"
            : "it names no subject (sub_id)");

    private static string? StreamId(JsonElement identifier) =>
        identifier.ValueKind == JsonValueKind.Object && identifier.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
