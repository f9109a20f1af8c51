using System.Globalization;

namespace Revocation.EndToEndTests.Gateways;

/// <summary>
/// nginx and Caddy, each in front of one API node, and the Python backend behind both, as
/// <c>scripts/gateway.sh</c> starts them (configs generated from <c>deploy/gateways/</c>). They need
/// no API node to start, so they can start alongside the cluster. <see cref="StopAsync"/> stops them
/// by PID and searches their logs for pieces of tokens; logs are kept when a leak is found or
/// <c>REGISTRY_KEEP_CLUSTER_LOGS=1</c>.
/// </summary>
public sealed class GatewayProcesses
{
    private readonly string _directory;

    private GatewayProcesses(string directory, IReadOnlyDictionary<string, int> ports)
    {
        _directory = directory;
        Nginx = new HttpClient { BaseAddress = Loopback(ports["NGINX_PORT"]), Timeout = TimeSpan.FromSeconds(15) };
        Caddy = new HttpClient { BaseAddress = Loopback(ports["CADDY_PORT"]), Timeout = TimeSpan.FromSeconds(15) };
        Backend = new HttpClient { BaseAddress = Loopback(ports["BACKEND_PORT"]), Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>nginx, <c>auth_request</c> to the first API node given.</summary>
    public HttpClient Nginx { get; }

    /// <summary>Caddy, <c>forward_auth</c> to the second API node given.</summary>
    public HttpClient Caddy { get; }

    /// <summary>The backend itself, with no gateway in front (the floor of a latency).</summary>
    public HttpClient Backend { get; }

    public static async Task<GatewayProcesses> StartAsync(Uri nginxRegistry, Uri caddyRegistry)
    {
        var root = Environment.GetEnvironmentVariable("REGISTRY_E2E_ROOT") is { Length: > 0 } e2e ? e2e : Path.GetTempPath();
        var directory = Path.Combine(root, $"registry-gateways-{Guid.NewGuid():N}");
        try
        {
            await RunAsync("start", directory, nginxRegistry.Authority, caddyRegistry.Authority);
        }
        catch
        {
            await RunAsync("stop", directory);
            throw;
        }

        var ports = File.ReadAllLines(Path.Combine(directory, "ports.env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], CultureInfo.InvariantCulture));
        return new GatewayProcesses(directory, ports);
    }

    public string ReadLog(string name)
    {
        var file = Path.Combine(_directory, "logs", name);
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    /// <summary>Stops the processes, then fails if a log holds a piece of a token, of <paramref name="minted"/> or any other (promise 7).</summary>
    public async Task StopAsync(IEnumerable<string> minted)
    {
        Nginx.Dispose();
        Caddy.Dispose();
        Backend.Dispose();
        await RunAsync("stop", _directory);
        var logs = Path.Combine(_directory, "logs");
        var leaks = Directory.Exists(logs)
            ? TokenLeaks.Find(minted, Directory.EnumerateFiles(logs).SelectMany(file => File.ReadLines(file).Select(line => (Path.GetFileName(file), line))))
            : [];
        if (leaks.Count == 0 && Environment.GetEnvironmentVariable("REGISTRY_KEEP_CLUSTER_LOGS") != "1")
        {
            Directory.Delete(_directory, recursive: true);
        }

        TokenLeaks.AssertNone(leaks, $"(gateway logs kept in {logs})");
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    private static async Task RunAsync(params string[] args)
    {
        // Installing the four packages from nothing takes a while; starting them, a second or two.
        var run = await ScriptRun.RunAsync("bash", [RepoPaths.Script("gateway.sh"), .. args], TimeSpan.FromMinutes(5));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"gateway.sh {string.Join(' ', args)} failed ({run.ExitCode}):\n{run.Output}\n{run.Errors}");
        }
    }
}
