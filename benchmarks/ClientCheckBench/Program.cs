using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Revocation.Abstractions;

// Usage: ClientCheckBench <label> <seconds per level> <concurrency>...
// Connects to a localhost silo (gateway 30000), warms 10 000 token grains (1 % revoked), then
// for each concurrency level runs closed-loop workers calling IsRevokedAsync for the given time
// and prints one Markdown table row per level: label, concurrency, calls/s, p50, p99 (µs).
var label = args.Length > 0 ? args[0] : "grain";
var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
var levels = args.Length > 2 ? args[2..].Select(int.Parse).ToArray() : [1, 64];
const int Tokens = 10_000;

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort: 30000, serviceId: "revocation-registry", clusterId: "dev"));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IClusterClient>();

var run = Guid.NewGuid().ToString("N")[..8];
var jtis = Enumerable.Range(0, Tokens).Select(i => $"bench-{run}-{i}").ToArray();
await Parallel.ForEachAsync(Enumerable.Range(0, Tokens), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
{
    var grain = grains.GetTokenGrain(jtis[i]);
    if (i % 100 == 0)
    {
        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "benchmark");
    }

    await grain.IsRevokedAsync();
});

foreach (var concurrency in levels)
{
    await MeasureAsync(concurrency, TimeSpan.FromSeconds(Math.Min(2, seconds / 2))); // warm-up, discarded
    var (calls, elapsed, latencies) = await MeasureAsync(concurrency, TimeSpan.FromSeconds(seconds));
    Array.Sort(latencies);
    Console.WriteLine(FormattableString.Invariant(
        $"| {label} | {concurrency} | {calls / elapsed.TotalSeconds:F0} | {Micros(Percentile(latencies, 0.50)):F0} | {Micros(Percentile(latencies, 0.99)):F0} |"));
}

await host.StopAsync();
return;

async Task<(long Calls, TimeSpan Elapsed, long[] Latencies)> MeasureAsync(int concurrency, TimeSpan duration)
{
    var next = -1;
    var clock = Stopwatch.StartNew();
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        var samples = new List<long>(1 << 16);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var jti = jtis[(uint)Interlocked.Increment(ref next) % Tokens];
            var start = Stopwatch.GetTimestamp();
            await grains.GetGrain<ITokenGrain>(jti).IsRevokedAsync();
            samples.Add(Stopwatch.GetTimestamp() - start);
        }

        return samples;
    })).ToArray();
    var perWorker = await Task.WhenAll(workers);
    var elapsed = clock.Elapsed;
    var all = perWorker.SelectMany(s => s).ToArray();
    return (all.LongLength, elapsed, all);
}

static long Percentile(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
