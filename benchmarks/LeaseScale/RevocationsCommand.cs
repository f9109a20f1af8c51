using System.Diagnostics;

/// <summary>
/// `revocations`: N nodes renewing; once all hold a lease, a warm-up, a quiet phase (renewals only),
/// then the measured window of revocations at a fixed rate. Every node that kept its lease must have
/// been told of every acknowledged revocation.
/// </summary>
internal static class RevocationsCommand
{
    public static async Task<int> RunAsync(IGrainFactory grains, CommandLine options)
    {
        var simulated = FleetSettings.From(options, defaultNodes: 100);
        var rate = options.Double("rate", 200);
        var count = (int)(rate * options.Double("seconds", 15));
        var jtis = new TokenIds(Guid.NewGuid().ToString("N")[..8]);
        var driver = new RevocationDriver(grains);
        var report = new Report(options.Text("await-samples", "false") == "true");

        await using var fleet = await NodeFleet.StartLeasedAsync(grains, simulated, jtis, count);
        await report.MarkAsync("leased");
        // The revocation path jitted and the token grains' storage warm, outside the measurement.
        var warmUp = await driver.RunAsync(jtis.WarmUp, (int)(rate * options.Double("warmup", 3)), rate);
        await report.MarkAsync("quiet");
        var quietStart = Stopwatch.GetTimestamp();
        await Task.Delay(options.Seconds("quiet", 5));
        await report.MarkAsync("window");
        var windowStart = Stopwatch.GetTimestamp();
        var batchesBefore = fleet.Nodes.Sum(n => n.Batches);
        var run = await driver.RunAsync(jtis.Measured, count, rate);
        var windowEnd = Stopwatch.GetTimestamp();
        await report.MarkAsync("end");

        var quiet = LeaseCounts.Between(fleet.Nodes, quietStart, windowStart);
        var window = LeaseCounts.Between(fleet.Nodes, windowStart, windowEnd);
        var told = NoticesTold(fleet.Nodes, run);
        var latencies = run.AcknowledgedLatencies;
        var windowSeconds = Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
        Report.Result(
            ("nodes", simulated.Nodes), ("partitions", simulated.Partitions), ("rate", rate),
            ("revocations_made", run.Made), ("revocations_acknowledged", run.AcknowledgedCount),
            ("revocations_failed", run.Made - run.AcknowledgedCount), ("errors", run.ErrorSummary),
            ("latency_p50_ms", Percentile.Of(latencies, 0.5)), ("latency_p99_ms", Percentile.Of(latencies, 0.99)),
            ("latency_max_ms", Percentile.Of(latencies, 1)), ("schedule_lag_max_ms", Report.Ms(run.ScheduleLag)),
            ("window_s", windowSeconds), ("renewals_per_s", window.Renewals / windowSeconds),
            ("quiet_renewals_per_s", quiet.Renewals / Stopwatch.GetElapsedTime(quietStart, windowStart).TotalSeconds),
            ("renewals_failed", window.Failed), ("leases_lost", window.NewLeaseIds), ("leases_lapsed", window.Lapsed),
            ("leases_continued", window.Continued),
            ("notices_min_per_node", told.Min()), ("notices_max_per_node", told.Max()),
            ("nodes_missing_notices", told.Count(t => t < run.AcknowledgedCount)),
            ("notice_batches_per_node", (double)(fleet.Nodes.Sum(n => n.Batches) - batchesBefore) / simulated.Nodes),
            ("warmup_failed", warmUp.Made - warmUp.AcknowledgedCount));
        return 0;
    }

    /// <summary>Per node, how many of the acknowledged revocations it was told of.</summary>
    private static int[] NoticesTold(IReadOnlyList<SimulatedNode> nodes, RevocationRun run)
    {
        var acknowledged = Enumerable.Range(0, run.Made).Where(run.Acknowledged).ToArray();
        return [.. nodes.Select(n => acknowledged.Count(n.Measured.Contains))];
    }
}
