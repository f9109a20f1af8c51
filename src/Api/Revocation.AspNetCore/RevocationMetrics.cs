using System.Diagnostics.Metrics;

namespace Revocation.AspNetCore;

/// <summary>API-side instruments of the revocation check, under the <c>revocation</c> prefix.</summary>
public sealed class RevocationMetrics
{
    /// <summary>The meter name to export.</summary>
    public const string MeterName = "Revocation.Api";

    private readonly Counter<long> _checks;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _revocations;

    public RevocationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _checks = meter.CreateCounter<long>("revocation.checks", description: "Revocation checks by outcome (ok, revoked, no_jti, invalid_jti, error).");
        _duration = meter.CreateHistogram<double>(
            "revocation.check.duration",
            unit: "s",
            description: "Time spent asking the registry.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5] });
        _revocations = meter.CreateCounter<long>("revocation.revocations", description: "Revocations requested through this node, by endpoint and result.");
    }

    public void Checked(string outcome, string policy) =>
        _checks.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("policy", policy));

    public void CheckDuration(TimeSpan elapsed) => _duration.Record(elapsed.TotalSeconds);

    public void Revocation(string endpoint, string result) =>
        _revocations.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("result", result));
}
