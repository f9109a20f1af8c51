using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

/// <summary>
/// Puts a network distance between a client and a server on this machine: a TCP proxy on
/// 127.0.0.1 that holds every chunk of bytes for a fixed delay in each direction before passing it
/// on, in order (so a round trip costs twice the delay; bandwidth is not limited). The kernel here
/// has no netem qdisc, so this stands in for `tc qdisc add dev lo root netem delay`.
/// </summary>
internal static class DelayProxy
{
    public static async Task RunAsync(int listenPort, int targetPort, TimeSpan delay)
    {
        var listener = new TcpListener(IPAddress.Loopback, listenPort);
        listener.Start();
        Console.WriteLine($"listening={listenPort} target={targetPort} delay_ms={delay.TotalMilliseconds}");
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(() => ServeAsync(client, targetPort, delay));
        }
    }

    private static async Task ServeAsync(TcpClient client, int targetPort, TimeSpan delay)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(IPAddress.Loopback, targetPort);
            var up = PumpAsync(client.GetStream(), server.GetStream(), delay);
            var down = PumpAsync(server.GetStream(), client.GetStream(), delay);
            await Task.WhenAny(up, down);
        }
    }

    /// <summary>Reads chunks as they come and writes each one <paramref name="delay"/> after it was read.</summary>
    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TimeSpan delay)
    {
        var chunks = Channel.CreateUnbounded<(long Due, byte[] Data)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, data) in chunks.Reader.ReadAllAsync())
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                await to.WriteAsync(data);
            }
        });
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                var due = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
                await chunks.Writer.WriteAsync((due, buffer[..read]));
            }
        }
        catch (IOException)
        {
        }

        chunks.Writer.Complete();
        try
        {
            await writer;
        }
        catch (IOException)
        {
        }
    }
}
