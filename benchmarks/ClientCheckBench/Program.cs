using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;

// Usage:
//   ClientCheckBench calls [BenchmarkDotNet arguments]
//   ClientCheckBench check <label> <jti|jti+subject> <seconds per level> <concurrency>...
//   ClientCheckBench sweep <seconds>
// Connects to the cluster as every registry client does (environment: ConnectionStrings__Registry,
// Orleans__ClusterId, ClusterTls__* from scripts/cluster.sh client-env; see RegistryClient) and
// warms 10 000 token grains (1 % revoked)
// spread over 1 000 subjects. `check` runs closed-loop workers for each concurrency level and
// prints one Markdown row per level (`calls`: BenchmarkDotNet's mean and allocations of one call at a time): label, concurrency, calls/s, p50, p99 (µs). `jti` asks the
// token grain only; `jti+subject` asks the token and subject grains concurrently, as the API's
// check does. `sweep` measures checks (concurrency 16) for the given time, then again while the
// sweeper runs over whatever expired rows the database holds, and prints both plus the sweep.
const int Tokens = 10_000;
const int Subjects = 1_000;
const string BenchIssuer = "https://bench.example";

if (args is ["calls", .. var benchmarkArguments])
{
    // BenchmarkDotNet: one grain call after another (ClientCallBenchmarks); its own arguments pass
    // through. Then one "CALL | method | mean µs | allocated B |" line per benchmark for the report.
    var summaries = BenchmarkDotNet.Running.BenchmarkSwitcher.FromTypes([typeof(Revocation.Benchmarks.ClientCheck.ClientCallBenchmarks)]).Run(benchmarkArguments);
    var reports = summaries.SelectMany(summary => summary.Reports).ToList();
    foreach (var report in reports)
    {
        var mean = report.ResultStatistics?.Mean / 1000;
        var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        Console.WriteLine(FormattableString.Invariant($"CALL | {report.BenchmarkCase.Descriptor.WorkloadMethod.Name} | {mean:F1} | {allocated} |"));
    }

    return reports.Count > 0 && reports.All(report => report.Success) ? 0 : 1;
}

using var host = RegistryClient.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IClusterClient>();

var run = Guid.NewGuid().ToString("N")[..8];
var jtis = Enumerable.Range(0, Tokens).Select(i => $"bench-{run}-{i}").ToArray();
var subs = Enumerable.Range(0, Subjects).Select(i => $"bench-{run}-user-{i}").ToArray();
var tokenKeys = jtis.Select(jti => new IssuerKey(BenchIssuer, jti).ToGrainKey()).ToArray();
var subjectKeys = subs.Select(sub => new IssuerKey(BenchIssuer, sub).ToGrainKey()).ToArray();
await Parallel.ForEachAsync(Enumerable.Range(0, Tokens), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
{
    var grain = grains.GetTokenGrain(BenchIssuer, jtis[i]);
    if (i % 100 == 0)
    {
        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "benchmark");
    }

    await grain.IsRevokedAsync();
    await grains.GetSubjectGrain(BenchIssuer, subs[i % Subjects]).GetStatusAsync();
});

if (args is ["sweep", var sweepSeconds])
{
    var duration = TimeSpan.FromSeconds(double.Parse(sweepSeconds, CultureInfo.InvariantCulture));
    await MeasureAsync(16, TimeSpan.FromSeconds(2), withSubject: true, stopWhen: null); // warm-up
    var quiet = await MeasureAsync(16, duration, withSubject: true, stopWhen: null);
    var clock = Stopwatch.StartNew();
    var sweep = grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).RunAsync();
    var during = await MeasureAsync(16, TimeSpan.FromHours(1), withSubject: true, stopWhen: sweep);
    var report = await sweep;
    var sweepTime = clock.Elapsed;
    Console.WriteLine(FormattableString.Invariant($"| checks, no sweep | 16 | {quiet.CallsPerSecond:F0} | {quiet.P50:F0} | {quiet.P99:F0} |"));
    Console.WriteLine(FormattableString.Invariant($"| checks during the sweep | 16 | {during.CallsPerSecond:F0} | {during.P50:F0} | {during.P99:F0} |"));
    Console.WriteLine(FormattableString.Invariant(
        $"SWEEP rows={report.RowsDeleted} batches={report.Batches} seconds={sweepTime.TotalSeconds:F1} drained={report.Drained} error={report.Error ?? "none"}"));
}
else if (args is ["check", var label, var mode, var seconds, .. var levels])
{
    foreach (var concurrency in levels.Select(l => int.Parse(l, CultureInfo.InvariantCulture)))
    {
        var time = TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture));
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(2), mode == "jti+subject", stopWhen: null); // warm-up
        var result = await MeasureAsync(concurrency, time, mode == "jti+subject", stopWhen: null);
        Console.WriteLine(FormattableString.Invariant($"| {label} | {concurrency} | {result.CallsPerSecond:F0} | {result.P50:F0} | {result.P99:F0} |"));
    }
}
else
{
    Console.Error.WriteLine("usage: ClientCheckBench check <label> <jti|jti+subject> <seconds> <concurrency>... | sweep <seconds>");
    return 2;
}

await host.StopAsync();
return 0;

async Task<Result> MeasureAsync(int concurrency, TimeSpan duration, bool withSubject, Task? stopWhen)
{
    var next = -1;
    var clock = Stopwatch.StartNew();
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        var samples = new List<long>(1 << 16);
        while (Stopwatch.GetTimestamp() < deadline && stopWhen?.IsCompleted != true)
        {
            var i = (int)((uint)Interlocked.Increment(ref next) % Tokens);
            var start = Stopwatch.GetTimestamp();
            var byJti = grains.GetGrain<ITokenGrain>(tokenKeys[i]).IsRevokedAsync();
            if (withSubject)
            {
                var bySubject = grains.GetGrain<ISubjectGrain>(subjectKeys[i % Subjects]).GetStatusAsync();
                await Task.WhenAll(byJti.AsTask(), bySubject.AsTask());
            }
            else
            {
                await byJti;
            }

            samples.Add(Stopwatch.GetTimestamp() - start);
        }

        return samples;
    })).ToArray();
    var all = (await Task.WhenAll(workers)).SelectMany(s => s).ToArray();
    var elapsed = clock.Elapsed;
    Array.Sort(all);
    return new Result(all.Length / elapsed.TotalSeconds, Micros(Percentile(all, 0.50)), Micros(Percentile(all, 0.99)));
}

static long Percentile(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

internal readonly record struct Result(double CallsPerSecond, double P50, double P99);
