using System.Globalization;
using System.Net.Sockets;
using System.Net;

namespace Revocation.Testing;

/// <summary>
/// Loopback ports for in-process silos, API hosts and private servers. They are taken above the
/// kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>; 32768–60999 here):
/// a port from that range can be handed to an outgoing connection between the probe and the
/// bind. Process clusters (<c>LocalCluster</c>) take their blocks below the range, so the two
/// never meet, and no port is handed out twice in one test run.
/// </summary>
public static class TestPorts
{
    private const int Highest = 65535;
    private static readonly int Lowest = EphemeralRangeEnd() + 1;
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A loopback port nothing listens on right now and no other test of this run was given.</summary>
    public static int Free()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var candidate = Random.Shared.Next(Lowest, Highest + 1);
                if (!HandedOut.Contains(candidate) && IsFree(candidate))
                {
                    HandedOut.Add(candidate);
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest} after 200 tries ({HandedOut.Count} handed out in this run).");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeEnd()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        var parts = File.Exists(RangeFile) ? File.ReadAllText(RangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries) : [];
        var end = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 60999;
        if (Highest - end < 1000)
        {
            throw new InvalidOperationException($"The kernel's ephemeral port range ({string.Join('-', parts)}) leaves fewer than 1000 ports above it for tests.");
        }

        return end;
    }
}
