using System.Diagnostics.Metrics;
using Revocation.AspNetCore;

namespace Revocation.Api.SharedSignals;

/// <summary>The receiver's counters, on the registry's meter.</summary>
internal sealed class SharedSignalsMetrics
{
    private readonly Counter<long> _sets;
    private readonly Counter<long> _events;

    public SharedSignalsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(RevocationMetrics.MeterName);
        _sets = meter.CreateCounter<long>("revocation.ssf.sets", description: "Security Event Tokens pushed to this node by outcome (accepted, duplicate: a jti received before, refused: by its RFC 8935 error code, error: the registry failed; nothing acknowledged).");
        _events = meter.CreateCounter<long>("revocation.ssf.events", description: "Events of accepted SETs by type (session-revoked, credential-change, account-disabled, credential-compromise, verification, other) and action (session, subject, verified, ignored).");
    }

    public void Set(string outcome, string? error = null) =>
        _sets.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("error", error ?? "none"));

    public void Event(string type, string action) =>
        _events.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("action", action));
}
