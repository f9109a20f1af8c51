using Revocation.Abstractions;

namespace Revocation.Api.SharedSignals;

/// <summary>What one event of a SET makes the registry do (<see cref="SecurityEventInterpreter"/>).</summary>
internal abstract record SecurityEventAction(string EventType)
{
    /// <summary>Every token carrying the session's <c>sid</c> is refused.</summary>
    public sealed record RevokeSession(string EventType, IssuerKey Session) : SecurityEventAction(EventType);

    /// <summary>Every token of the subject issued (<c>iat</c>) before <paramref name="NotBefore"/> is refused.</summary>
    public sealed record RevokeSubject(string EventType, IssuerKey Subject, DateTimeOffset NotBefore) : SecurityEventAction(EventType);

    /// <summary>A verification event (SSF 1.0 §8.1.4): nothing to do but to acknowledge it.</summary>
    public sealed record Verify(string EventType, string? StreamId) : SecurityEventAction(EventType);

    /// <summary>An event not acted on: accepted and ignored (SSF 1.0 §4), for the reason given.</summary>
    public sealed record Ignore(string EventType, string Reason) : SecurityEventAction(EventType);
}
