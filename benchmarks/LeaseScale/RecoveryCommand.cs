using System.Diagnostics;

/// <summary>
/// `recover`: N nodes renewing; once all hold a lease it says so (MARK leased) and waits for the
/// script to kill the silo holding the lease grain(s) and write the kill's instant to
/// <c>--kill-marker</c>; then it reports how long until every node held a lease again, from a
/// renewal sent after the kill.
/// </summary>
internal static class RecoveryCommand
{
    public static async Task<int> RunAsync(IGrainFactory grains, CommandLine options)
    {
        var simulated = FleetSettings.From(options, defaultNodes: 1000);
        var watch = options.Seconds("watch", 60);
        var report = new Report(awaitSamples: false);
        await using var fleet = await NodeFleet.StartLeasedAsync(grains, simulated, new TokenIds("recover"), 0);
        await report.MarkAsync("leased");
        if (await KillMarker.WaitAsync(options.Text("kill-marker"), TimeSpan.FromMinutes(2)) is not { } killedAt)
        {
            await Console.Error.WriteLineAsync("no kill marker appeared");
            return 1;
        }

        var deadline = killedAt + (long)(watch.TotalSeconds * Stopwatch.Frequency);
        NodeRecovery[] recoveries;
        do
        {
            await Task.Delay(100);
            recoveries = [.. fleet.Nodes.Select(n => NodeRecovery.Of(n, killedAt))];
        }
        while (recoveries.Any(r => r.LeasedAt is null) && Stopwatch.GetTimestamp() < deadline);

        await report.MarkAsync("recovered");
        var leased = recoveries.Where(r => r.LeasedAt is not null).Select(r => Report.Ms(killedAt, r.LeasedAt!.Value)).Order().ToArray();
        int Count(LeaseEventKind kind) => recoveries.Count(r => r.Kind == kind);
        Report.Result(
            ("nodes", simulated.Nodes), ("partitions", simulated.Partitions), ("recovered", leased.Length),
            ("all_leased_ms", leased.Length == simulated.Nodes ? Percentile.Of(leased, 1) : double.NaN),
            ("first_leased_ms", Percentile.Of(leased, 0)), ("p50_leased_ms", Percentile.Of(leased, 0.5)),
            ("nodes_without_lease", recoveries.Count(r => r.WithoutLease > TimeSpan.Zero)),
            ("longest_without_lease_ms", recoveries.Max(r => r.WithoutLease.TotalMilliseconds)),
            ("extended", Count(LeaseEventKind.Extended)), ("continued", Count(LeaseEventKind.Continued)),
            ("lapsed", Count(LeaseEventKind.Lapsed)), ("renewals_failed", recoveries.Sum(r => r.FailedRenewals)));
        return 0;
    }
}
