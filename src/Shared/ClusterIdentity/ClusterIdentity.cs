using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Revocation.ClusterIdentity;

/// <summary>
/// The cluster id and service id, one name on silos and API nodes alike: Orleans' own keys
/// <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c> (which Orleans binds itself and .NET
/// Aspire sets). Each program's earlier name (<c>Cluster:ClusterId</c> on silos,
/// <c>Registry:ClusterId</c> on API nodes, and the same for <c>ServiceId</c>) is still read when
/// Orleans' key is not set, with a warning at start; both set to different values is refused.
/// Compiled into the silo and the client library alike.
/// </summary>
internal static class ClusterIdentitySettings
{
    public const string ClusterIdKey = "Orleans:ClusterId";
    public const string ServiceIdKey = "Orleans:ServiceId";
    public const string DefaultClusterId = "dev";
    public const string DefaultServiceId = "revocation-registry";

    /// <summary>The cluster id: <c>Orleans:ClusterId</c> when set, else <paramref name="earlier"/> (the earlier name's value or the default).</summary>
    public static string ClusterId(IConfiguration configuration, string earlier) => Value(configuration, ClusterIdKey) ?? earlier;

    /// <summary>The service id: <c>Orleans:ServiceId</c> when set, else <paramref name="earlier"/>.</summary>
    public static string ServiceId(IConfiguration configuration, string earlier) => Value(configuration, ServiceIdKey) ?? earlier;

    /// <summary>A message for each identity set under both names to different values, naming both keys.</summary>
    /// <param name="configuration">The program's configuration.</param>
    /// <param name="earlierSection">The program's earlier section: <c>Cluster</c> or <c>Registry</c>.</param>
    public static IEnumerable<string> Conflicts(IConfiguration configuration, string earlierSection)
    {
        foreach (var (key, name) in Names)
        {
            var earlierKey = $"{earlierSection}:{name}";
            if (Value(configuration, key) is { } value && Value(configuration, earlierKey) is { } earlier && value != earlier)
            {
                yield return $"{key} ({value}) and {earlierKey} ({earlier}) differ: {earlierKey} is the earlier name of {key}; set only {key}.";
            }
        }
    }

    /// <summary>The earlier names set in configuration where Orleans' own key is not.</summary>
    public static IEnumerable<string> EarlierNamesInUse(IConfiguration configuration, string earlierSection) =>
        Names.Where(n => Value(configuration, n.Key) is null && Value(configuration, $"{earlierSection}:{n.Name}") is not null)
            .Select(n => $"{earlierSection}:{n.Name}");

    private static readonly (string Key, string Name)[] Names = [(ClusterIdKey, "ClusterId"), (ServiceIdKey, "ServiceId")];

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value ? value : null;
}

/// <summary>Logs, once at start, which earlier names of the cluster identity this process still reads.</summary>
internal sealed partial class EarlierClusterIdentityNames(IConfiguration configuration, ILogger<EarlierClusterIdentityNames> logger, string earlierSection)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var key in ClusterIdentitySettings.EarlierNamesInUse(configuration, earlierSection))
        {
            var name = key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];
            EarlierNameRead(logger, key, $"Orleans:{name}");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning,
        Message = "{Key} is the earlier name of {Setting}; it is still read, but set {Setting} instead (the same on silos and API nodes).")]
    private static partial void EarlierNameRead(ILogger logger, string key, string setting);
}
