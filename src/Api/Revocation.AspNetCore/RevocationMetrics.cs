using System.Diagnostics.Metrics;

namespace Revocation.AspNetCore;

/// <summary>API-side instruments of the revocation check, under the <c>revocation</c> prefix.</summary>
internal sealed class RevocationMetrics
{
    /// <inheritdoc cref="RevocationCheckExtensions.MeterName"/>
    public const string MeterName = RevocationCheckExtensions.MeterName;

    private readonly Counter<long> _checks;
    private readonly Counter<long> _introspections;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _issuerClocksUnknown;

    public RevocationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _checks = meter.CreateCounter<long>("revocation.checks", description: "Revocation checks of requests' bearer tokens by outcome (ok, revoked, subject_revoked, session_revoked, no_jti, invalid_jti, invalid_sid, error), policy and mode.");
        _introspections = meter.CreateCounter<long>("revocation.introspections", description: "RFC 7662 introspections that asked the registry, by the same outcomes, policy and mode as revocation.checks (and not counted there).");
        _duration = meter.CreateHistogram<double>(
            "revocation.check.duration",
            unit: "s",
            description: "Time spent asking the registry (or, in the registry's own comparison modes, the database), by mode.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5] });
        _revocations = meter.CreateCounter<long>("revocation.revocations", description: "Revocations requested through this node, by endpoint (logout, logout_everywhere, logout_session, oauth2_revoke, admin_token, admin_subject, admin_session) and result (ok: durable; invalid: bad input; error: the registry failed).");
        _retries = meter.CreateCounter<long>("revocation.check.retries", description: "A check's question to the registry asked again, by reason (silo_lost: the call failed with its silo; unanswered: no answer after a quarter of RevocationCheck:Timeout; storage_failed: the registry's database failed the read, asked once more).");
        _issuerClocksUnknown = meter.CreateCounter<long>("revocation.subject.issuer_clock_unknown", description: "Subject-wide revocations (log out everywhere) for which this node had checked no recent token of an issuer it accepts: the not-before assumed that issuer's clock runs the full Jwt:ClockSkew ahead, so a sign-in right after may be refused for up to that long.");
    }

    public void Checked(string outcome, string policy, string mode) => _checks.Add(
        1,
        new KeyValuePair<string, object?>("outcome", outcome),
        new KeyValuePair<string, object?>("policy", policy),
        new KeyValuePair<string, object?>("mode", mode));

    public void Introspected(string outcome, string policy, string mode) => _introspections.Add(
        1,
        new KeyValuePair<string, object?>("outcome", outcome),
        new KeyValuePair<string, object?>("policy", policy),
        new KeyValuePair<string, object?>("mode", mode));

    public void CheckDuration(TimeSpan elapsed, string mode) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("mode", mode));

    public void Revocation(string endpoint, string result) =>
        _revocations.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("result", result));

    internal void IssuerClockUnknown() => _issuerClocksUnknown.Add(1);

    internal void CheckRetried(string reason) => _retries.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
