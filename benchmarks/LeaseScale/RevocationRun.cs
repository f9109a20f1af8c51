using System.Globalization;

/// <summary>The outcome of one <see cref="RevocationDriver"/> run.</summary>
/// <param name="Latencies">Per revocation, ms from its scheduled instant to its acknowledgement; NaN when it failed.</param>
/// <param name="ScheduleLag">How late the harness sent its latest revocation (its own CPU starved).</param>
/// <param name="Errors">Failed revocations by exception type.</param>
/// <param name="Elapsed">From the first scheduled instant to the last acknowledgement.</param>
internal sealed record RevocationRun(double[] Latencies, TimeSpan ScheduleLag, IReadOnlyDictionary<string, int> Errors, TimeSpan Elapsed)
{
    public int Made => Latencies.Length;

    public bool Acknowledged(int index) => !double.IsNaN(Latencies[index]);

    public int AcknowledgedCount => Latencies.Count(l => !double.IsNaN(l));

    public double[] AcknowledgedLatencies => [.. Latencies.Where(l => !double.IsNaN(l)).Order()];

    /// <summary>"Type:count,…", or "none".</summary>
    public string ErrorSummary => Errors.Count == 0
        ? "none"
        : string.Join(',', Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}:{e.Value}")));
}
