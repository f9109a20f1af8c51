namespace Revocation.Hosting;

/// <summary>
/// The container health check without <c>curl</c> in the image: <c>dotnet Revocation.X.dll health
/// [url]</c> asks the running process's own health endpoint and exits 0 when it answers 2xx, 1
/// otherwise. Compiled into the silo and the API node (linked from <c>src/Shared</c>).
/// </summary>
public static class HealthProbe
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Command = "health";

    /// <summary>What the images ask when no URL is given: readiness on the port their <c>Urls</c> name.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    /// <summary>Longest the probe waits; below the images' HEALTHCHECK timeout (3 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Asks <c>args[0]</c> (or <see cref="DefaultUrl"/>); 0 on a 2xx answer, 1 otherwise.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var url = args is [var given, ..] ? given : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"health: '{url}' is not an http(s) URL.");
            return 1;
        }

        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(uri);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"health: {uri} answered {(int)response.StatusCode}.");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"health: {uri} did not answer: {ex.Message}");
            return 1;
        }
    }
}
