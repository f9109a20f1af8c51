using System.Text.RegularExpressions;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Rejuvenation;

/// <summary>What the rejuvenation tests read from a supervised process cluster (scripts/cluster.sh).</summary>
internal static class RecyclingSilos
{
    /// <summary><paramref name="rejuvenation"/> with the recycle check every second.</summary>
    public static Dictionary<string, string> Settings(Dictionary<string, string> rejuvenation)
    {
        rejuvenation["Rejuvenation__CheckPeriod"] = "00:00:01";
        return rejuvenation;
    }

    /// <summary>Times the supervisor of silo <paramref name="silo"/> saw it exit with 75 (recycled) and started it again.</summary>
    public static int RecycledExits(LocalCluster cluster, int silo) =>
        Regex.Count(cluster.ReadLog($"supervisor-{silo}.log"), "recycled itself; starting it again");

    /// <summary>Whether silo <paramref name="silo"/>'s /health/ready answers with success within 2 s.</summary>
    public static async Task<bool> Ready(LocalCluster cluster, int silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri(cluster.SiloHttp(silo), "/health/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
