using System.Diagnostics;
using System.Globalization;
using System.Net;

/// <summary>
/// The stale-read probe: a fresh token is used on node B (so B may cache "not revoked"), revoked
/// through node A, and then B is asked again and again (4 workers) until it rejects the token or
/// the time is up. A stale accept is a 200 for a request B received after A acknowledged the
/// revocation; the window is from that acknowledgement to the start of the first rejected request.
/// </summary>
internal static class Probe
{
    public static async Task<int> RunAsync(HttpClient http, string apiA, string apiB, Tokens tokens, TimeSpan limit)
    {
        var token = tokens.Mint(Random.Shared.NextInt64(1L << 40, 1L << 50));
        for (var i = 0; i < 3; i++)
        {
            using var warm = await Http.SendAsync(http, HttpMethod.Get, apiB + "/me", token, CancellationToken.None);
            if (warm.StatusCode != HttpStatusCode.OK)
            {
                Console.WriteLine($"error=warm-up-{(int)warm.StatusCode}");
                return 1;
            }
        }

        using (var logout = await Http.SendAsync(http, HttpMethod.Post, apiA + "/auth/logout", token, CancellationToken.None))
        {
            if (logout.StatusCode != HttpStatusCode.NoContent)
            {
                Console.WriteLine($"error=logout-{(int)logout.StatusCode}");
                return 1;
            }
        }

        var acknowledged = Stopwatch.GetTimestamp();
        var stale = 0;
        var asked = 0;
        var firstRejectedMs = double.NaN;
        using var stop = new CancellationTokenSource(limit);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds;
                HttpStatusCode status;
                try
                {
                    using var response = await Http.SendAsync(http, HttpMethod.Get, apiB + "/me", token, stop.Token);
                    status = response.StatusCode;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref asked);
                if (status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref stale);
                }
                else if (status == HttpStatusCode.Unauthorized)
                {
                    lock (stop)
                    {
                        firstRejectedMs = double.IsNaN(firstRejectedMs) ? sent : Math.Min(firstRejectedMs, sent);
                    }

                    await stop.CancelAsync();
                    return;
                }
            }
        }));
        await Task.WhenAll(workers);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stale={stale} asked={asked} rejected={!double.IsNaN(firstRejectedMs)} window_ms={(double.IsNaN(firstRejectedMs) ? limit.TotalMilliseconds : firstRejectedMs):F0}"));
        return 0;
    }
}
