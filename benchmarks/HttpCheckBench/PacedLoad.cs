using System.Diagnostics;

/// <summary>
/// A fixed number of requests sent open loop at a fixed rate: request i is due at start + i / rate
/// whether or not earlier ones have answered, and its latency counts from when it was due, not from
/// when it left — a slow answer cannot hide the requests that would have queued behind it
/// (coordinated omission). Tokens are minted before the clock starts.
/// </summary>
internal static class PacedLoad
{
    /// <summary>
    /// The most requests in flight: a request due while this many wait is not sent (status
    /// <see cref="NotSent"/>; the API did not keep up with the rate) rather than opening sockets
    /// without end. Latency percentiles are of the requests sent.
    /// </summary>
    private const int MostInFlight = 2048;

    public const int NotSent = -2;

    public static async Task<Load.Result> RunAsync(
        HttpClient http, string api, Func<long, string> token, int requests, double perSecond, HttpMethod method, string path)
    {
        var tokens = new string[requests];
        for (var i = 0; i < requests; i++)
        {
            tokens[i] = token(i);
        }

        var latencies = new double[requests];
        var statuses = new int[requests];
        var sent = new List<Task>(requests);
        var inFlight = 0;
        var ticksBetween = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < requests; i++)
        {
            var due = start + (long)(i * ticksBetween);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait); // timers are coarse: the requests due meanwhile then leave together
            }

            if (Volatile.Read(ref inFlight) >= MostInFlight)
            {
                statuses[i] = NotSent;
                latencies[i] = double.NaN;
                continue;
            }

            Interlocked.Increment(ref inFlight);
            sent.Add(SendAsync(i, due));
        }

        await Task.WhenAll(sent);
        var wall = Stopwatch.GetElapsedTime(start);
        var answered = latencies.Where(latency => !double.IsNaN(latency)).Order().ToArray();
        return new Load.Result(wall, statuses.Count(s => s is >= 200 and < 300), requests, answered, Load.Summarize(statuses));

        async Task SendAsync(int i, long due)
        {
            try
            {
                await Task.Yield(); // the pacing loop goes on while this request connects and waits
                statuses[i] = await Http.StatusAsync(http, method, api + path, tokens[i]);
                latencies[i] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}
