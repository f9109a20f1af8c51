using System.Diagnostics;
using System.Globalization;
using System.Net;

// Usage (API base URLs like http://127.0.0.1:26200; BENCH_SIGNING_KEY must be set):
//   HttpCheckBench mint <run> <count> <revokeEvery> <tokens file> <revoked file>
//   HttpCheckBench revoke <api> <file>                     POST /auth/logout with each token (through the grain)
//   HttpCheckBench probe <apiA> <apiB> <run> <seconds>     stale-read probe (see Probe.cs)
//   HttpCheckBench burst <api> <file> <requests> <concurrency>
//   HttpCheckBench walk <api> <run> <from> <count> <concurrency>   each minted token once
//   HttpCheckBench revocations <api> <run> <from> <count> <concurrency>
//                                                         POST /auth/logout of fresh tokens, each timed
//   HttpCheckBench revocations-paced <api> <run> <from> <count> <per second>
//                                                         the same, open loop at a fixed rate (PacedLoad.cs; status -2: not sent, too many in flight)
//   HttpCheckBench delay-proxy <listen port> <target port> <delay ms>
//                                                         TCP proxy on 127.0.0.1 delaying every chunk each way (DelayProxy.cs)
// Every command prints one line of key=value pairs for scripts/bench.sh.
var invariant = CultureInfo.InvariantCulture;
int Int(string s) => int.Parse(s, invariant);

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 512,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseProxy = false,
}) { Timeout = TimeSpan.FromSeconds(60) };

switch (args)
{
    case ["mint", var run, var count, var every, var tokensFile, var revokedFile]:
    {
        var tokens = new Tokens(run);
        await using var all = new StreamWriter(tokensFile);
        await using var revoked = new StreamWriter(revokedFile);
        for (var i = 0; i < Int(count); i++)
        {
            var token = tokens.Mint(i);
            await all.WriteLineAsync(token);
            if (i % Int(every) == 0)
            {
                await revoked.WriteLineAsync(token);
            }
        }

        Console.WriteLine($"minted={count}");
        return 0;
    }

    case ["revoke", var api, var file]:
    {
        var lines = await File.ReadAllLinesAsync(file);
        var failed = 0;
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (token, ct) =>
        {
            using var response = await Http.SendAsync(http, HttpMethod.Post, api + "/auth/logout", token, ct);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                Interlocked.Increment(ref failed);
            }
        });
        Console.WriteLine($"revoked={lines.Length - failed} failed={failed}");
        return failed == 0 ? 0 : 1;
    }

    case ["probe", var apiA, var apiB, var run, var seconds]:
        return await Probe.RunAsync(http, apiA, apiB, new Tokens(run), TimeSpan.FromSeconds(Int(seconds)));

    case ["burst", var api, var file, var requests, var concurrency]:
    {
        var tokens = await File.ReadAllLinesAsync(file);
        var result = await Load.RunAsync(http, api, i => tokens[(int)(i % tokens.Length)], Int(requests), Int(concurrency));
        Console.WriteLine(FormattableString.Invariant(
            $"wall_ms={result.Wall.TotalMilliseconds:F0} ok={result.Ok} total={result.Total} p50_ms={result.Percentile(50):F1} p95_ms={result.Percentile(95):F1} p99_ms={result.Percentile(99):F1} statuses={result.Statuses}"));
        return 0;
    }

    case ["walk", var api, var run, var from, var count, var concurrency]:
    {
        var tokens = new Tokens(run);
        var start = long.Parse(from, invariant);
        var result = await Load.RunAsync(http, api, i => tokens.Mint(start + i), Int(count), Int(concurrency));
        Console.WriteLine(FormattableString.Invariant(
            $"wall_ms={result.Wall.TotalMilliseconds:F0} ok={result.Ok} total={result.Total} rps={result.Total / result.Wall.TotalSeconds:F0} statuses={result.Statuses}"));
        return 0;
    }

    case ["revocations", var api, var run, var from, var count, var concurrency]:
    {
        var tokens = new Tokens(run);
        var start = long.Parse(from, invariant);
        var result = await Load.RunAsync(http, api, i => tokens.Mint(start + i), Int(count), Int(concurrency), HttpMethod.Post, "/auth/logout");
        Console.WriteLine(FormattableString.Invariant(
            $"wall_ms={result.Wall.TotalMilliseconds:F0} ok={result.Ok} total={result.Total} p50_ms={result.Percentile(50):F1} p99_ms={result.Percentile(99):F1} max_ms={result.Percentile(100):F1} statuses={result.Statuses}"));
        return 0;
    }

    case ["revocations-paced", var api, var run, var from, var count, var perSecond]:
    {
        var tokens = new Tokens(run);
        var start = long.Parse(from, invariant);
        var result = await PacedLoad.RunAsync(http, api, i => tokens.Mint(start + i), Int(count), double.Parse(perSecond, invariant), HttpMethod.Post, "/auth/logout");
        Console.WriteLine(FormattableString.Invariant(
            $"wall_ms={result.Wall.TotalMilliseconds:F0} ok={result.Ok} total={result.Total} p50_ms={result.Percentile(50):F1} p99_ms={result.Percentile(99):F1} max_ms={result.Percentile(100):F1} statuses={result.Statuses}"));
        return 0;
    }

    case ["delay-proxy", var listen, var target, var delay]:
        await DelayProxy.RunAsync(Int(listen), Int(target), TimeSpan.FromMilliseconds(Int(delay)));
        return 0;

    default:
        Console.Error.WriteLine("usage: see the comment at the top of benchmarks/HttpCheckBench/Program.cs");
        return 2;
}

internal static class Http
{
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string token, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return http.SendAsync(request, ct);
    }

    /// <summary>The response's status code; 0 when no connection was made, -1 when the request timed out.</summary>
    public static async Task<int> StatusAsync(HttpClient http, HttpMethod method, string url, string token)
    {
        try
        {
            using var response = await SendAsync(http, method, url, token, CancellationToken.None);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return -1;
        }
    }
}

/// <summary>A fixed number of requests (GET /me unless told otherwise) by closed-loop workers, each timed.</summary>
internal static class Load
{
    public sealed record Result(TimeSpan Wall, int Ok, int Total, double[] LatenciesMs, string Statuses)
    {
        public double Percentile(double p) =>
            LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];
    }

    public static async Task<Result> RunAsync(
        HttpClient http, string api, Func<long, string> token, int requests, int concurrency, HttpMethod? method = null, string path = "/me")
    {
        var latencies = new double[requests];
        var statuses = new int[requests];
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                statuses[i] = await Http.StatusAsync(http, method ?? HttpMethod.Get, api + path, token(i));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        // A long run (the memory walk: a million tokens) would otherwise say nothing for minutes.
        using var done = new CancellationTokenSource();
        var progress = ReportProgressAsync(() => Math.Clamp(Volatile.Read(ref next), 0, requests), requests, $"{method ?? HttpMethod.Get} {path}", clock, done.Token);
        await Task.WhenAll(workers);
        var wall = clock.Elapsed;
        await done.CancelAsync();
        await progress;
        Array.Sort(latencies);
        return new Result(wall, statuses.Count(s => s is >= 200 and < 300), requests, latencies, Summarize(statuses));
    }

    /// <summary>"status:count,…" in status order (0: no connection, -1: timed out).</summary>
    public static string Summarize(int[] statuses) =>
        string.Join(',', statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => FormattableString.Invariant($"{g.Key}:{g.Count()}")));

    /// <summary>Every 5 s to stderr (stdout carries the result the script parses): requests sent so far and their rate.</summary>
    private static async Task ReportProgressAsync(Func<int> sent, int requests, string what, Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var count = sent();
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"HttpCheckBench: {what}: {count}/{requests} requests after {clock.Elapsed.TotalSeconds:F0} s ({count / clock.Elapsed.TotalSeconds:F0}/s)"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
