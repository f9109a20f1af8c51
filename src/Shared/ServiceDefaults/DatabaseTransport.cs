using System.Net;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Revocation.Hosting;

/// <summary>
/// Whether a PostgreSQL connection string sends passwords and rows across a network in clear.
/// Compiled into the silo and the API node (linked from <c>src/Shared</c>), which warn at start
/// outside Development.
/// </summary>
public static partial class DatabaseTransport
{
    /// <summary>
    /// Logs a warning (event 2005) naming <paramref name="setting"/> and the hosts when
    /// <paramref name="connectionString"/> reaches one without required TLS; the string itself is never logged.
    /// </summary>
    public static void WarnWithoutTls(ILogger logger, string setting, string? connectionString)
    {
        if (HostsWithoutTls(connectionString) is [_, ..] hosts)
        {
            LogWithoutTls(logger, setting, string.Join(",", hosts), new NpgsqlConnectionStringBuilder(connectionString).SslMode);
        }
    }

    /// <summary>
    /// The hosts of <paramref name="connectionString"/> that are reached over a network without
    /// required TLS: not loopback, not a Unix socket, and <c>SSL Mode</c> below <c>Require</c>
    /// (Npgsql's default, <c>Prefer</c>, falls back to clear text and verifies nothing). Empty when
    /// there are none, or when the string is missing or unparsable (its own validation says so).
    /// </summary>
    public static IReadOnlyList<string> HostsWithoutTls(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return [];
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return [];
        }

        if (settings.SslMode is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull)
        {
            return [];
        }

        return [.. (settings.Host ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(HostName)
            .Where(host => !IsLocal(host))];
    }

    // Npgsql accepts host:port and [v6]:port in its host list.
    private static string HostName(string entry) =>
        entry.StartsWith('[') ? entry[1..Math.Max(1, entry.IndexOf(']', StringComparison.Ordinal))]
        : entry.Count(c => c == ':') == 1 ? entry[..entry.IndexOf(':', StringComparison.Ordinal)]
        : entry;

    private static bool IsLocal(string host) =>
        host.StartsWith('/') // a Unix socket directory
        || host.StartsWith('@') // an abstract Unix socket
        || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning,
        Message = "{Setting} reaches the database at {Host} without required TLS (SSL Mode={SslMode}): its password and rows cross the network in clear. Add SSL Mode=VerifyFull (and Root Certificate=<the server's CA>) to it")]
    private static partial void LogWithoutTls(ILogger logger, string setting, string host, SslMode sslMode);
}
