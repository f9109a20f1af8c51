/// <summary>The harness's output for scripts/bench.sh: MARK lines at phase boundaries, one RESULT line of key=value pairs.</summary>
/// <param name="awaitSamples">
/// After each MARK line, wait for a line on stdin: the script's sample (CPU, the silos' metrics) then
/// belongs to the boundary however long taking it lasts on a busy machine.
/// </param>
internal sealed class Report(bool awaitSamples)
{
    public async Task MarkAsync(string phase)
    {
        Console.WriteLine($"MARK {phase} pid={Environment.ProcessId}");
        if (awaitSamples)
        {
            await Console.In.ReadLineAsync();
        }
    }

    public static void Result(params (string Key, object Value)[] pairs) =>
        Console.WriteLine("RESULT " + string.Join(' ', pairs.Select(p => $"{p.Key}={Format(p.Value)}")));

    public static double Ms(TimeSpan span) => span.TotalMilliseconds;

    public static double Ms(long fromTimestamp, long toTimestamp) => System.Diagnostics.Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalMilliseconds;

    private static string Format(object value) => value switch
    {
        double d when double.IsNaN(d) => "nan",
        double d => FormattableString.Invariant($"{d:F1}"),
        _ => FormattableString.Invariant($"{value}"),
    };
}
