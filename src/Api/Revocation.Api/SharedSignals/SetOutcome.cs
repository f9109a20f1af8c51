namespace Revocation.Api.SharedSignals;

/// <summary>How a pushed SET was answered.</summary>
internal abstract record SetOutcome
{
    /// <summary>Every event acted on is durable and acknowledged by every API node (or the SET was received before): 202.</summary>
    public sealed record Accepted : SetOutcome;

    /// <summary>The SET or the request is at fault: 400 with the RFC 8935 error.</summary>
    public sealed record Refused(SetRefusal Refusal) : SetOutcome;

    /// <summary>Nothing is confirmed (the registry failed, keys could not be fetched, or another delivery is under way): 503, to be delivered again.</summary>
    public sealed record Unavailable(string Description) : SetOutcome;
}
