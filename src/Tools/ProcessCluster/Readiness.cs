namespace Revocation.ProcessCluster;

/// <summary>Waits for a process's <c>/health/ready</c>, failing at once when the process exits.</summary>
internal static class Readiness
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task AwaitAsync(int port, string pidFile, string what, string logs, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{ClusterLayout.Number(port)}/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (!PidFile.IsAlive(pidFile))
            {
                throw new ClusterError($"{what} exited while starting (logs: {logs})");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ClusterError($"{what} did not come up within {limit.TotalSeconds:F0}s (logs: {logs})");
            }

            await Task.Delay(300);
        }
    }
}
