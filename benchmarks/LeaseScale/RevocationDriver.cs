using System.Collections.Concurrent;
using System.Diagnostics;
using Revocation.Abstractions;

/// <summary>
/// Revokes fresh tokens through their token grains at a fixed rate, open loop: revocation i is sent
/// at start + i / rate whether or not the earlier ones returned, and its latency is counted from that
/// scheduled instant, so that a harness that falls behind shows in the latencies instead of hiding.
/// </summary>
internal sealed class RevocationDriver(IGrainFactory grains)
{
    /// <summary>How long the revocations are kept (the tokens' remaining lifetime): short, the rows are the sweeper's.</summary>
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);

    /// <summary>The issuer of the harness's tokens (jtis are unique per issuer).</summary>
    private const string Issuer = "https://lease-scale.example";

    public async Task<RevocationRun> RunAsync(Func<int, string> jti, int count, double rate)
    {
        var latencies = new double[count];
        var errors = new ConcurrentDictionary<string, int>();
        var calls = new Task[count];
        var start = Stopwatch.GetTimestamp();
        var lag = TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var late = Stopwatch.GetElapsedTime(due);
            lag = late > lag ? late : lag;
            calls[i] = RevokeAsync(jti(i), due, i, latencies, errors);
        }

        await Task.WhenAll(calls);
        return new RevocationRun(latencies, lag, errors, Stopwatch.GetElapsedTime(start));
    }

    private async Task RevokeAsync(string jti, long due, int index, double[] latencies, ConcurrentDictionary<string, int> errors)
    {
        try
        {
            var status = await grains.GetTokenGrain(Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow + Kept, "scale harness");
            latencies[index] = status.Revoked ? Stopwatch.GetElapsedTime(due).TotalMilliseconds : double.NaN;
            if (!status.Revoked)
            {
                errors.AddOrUpdate("NotRevoked", 1, (_, n) => n + 1);
            }
        }
        catch (Exception ex)
        {
            latencies[index] = double.NaN;
            errors.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
        }
    }
}
