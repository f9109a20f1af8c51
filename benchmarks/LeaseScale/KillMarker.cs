using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The instant scripts/bench.sh killed a silo: it writes the Unix time in milliseconds to a file
/// right after `kill -9`. Read back as a <see cref="Stopwatch"/> timestamp of this process.
/// </summary>
internal static class KillMarker
{
    public static async Task<long?> WaitAsync(string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (File.Exists(path) && long.TryParse((await File.ReadAllTextAsync(path)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
            {
                var now = Stopwatch.GetTimestamp();
                var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - unixMs;
                return now - (since * Stopwatch.Frequency / 1000);
            }

            await Task.Delay(10);
        }

        return null;
    }
}
