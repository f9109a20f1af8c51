using System.Diagnostics;
using System.Globalization;
using Revocation.ProcessCluster;

namespace Revocation.EndToEndTests.Processes;

/// <summary>Real silo and API processes started by <c>scripts/cluster.sh</c>, on a database of their own.</summary>
public sealed partial class LocalCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly TestTokens? _tokens;

    private LocalCluster(Dictionary<string, string> environment, int basePort, TestTokens? tokens)
    {
        _environment = environment;
        BasePort = basePort;
        _tokens = tokens;
    }

    public int BasePort { get; }

    /// <summary>
    /// Where cluster directories go: <c>REGISTRY_E2E_ROOT</c> when scripts/test.sh set one for its run
    /// (it stops any cluster still up there when the run ends, even one whose test host was killed).
    /// </summary>
    private static string ClustersRoot =>
        Environment.GetEnvironmentVariable("REGISTRY_E2E_ROOT") is { Length: > 0 } root ? root : Path.GetTempPath();

    public Uri Api(int index) => ApiUri(BasePort, index);

    /// <summary>API node <paramref name="index"/>'s address in a cluster on <paramref name="basePort"/>, known before it is up.</summary>
    public static Uri ApiUri(int basePort, int index) => new($"http://127.0.0.1:{basePort + 200 + index}");

    /// <summary>Silo <paramref name="index"/>'s health and metrics endpoint.</summary>
    public Uri SiloHttp(int index) => new($"http://127.0.0.1:{BasePort + 300 + index}");

    public string ConnectionString => _environment["ConnectionStrings__Registry"];

    /// <summary>
    /// Starts the cluster. <paramref name="settings"/> (<c>Section__Key</c> environment variables)
    /// reach every silo and API process, e.g. sweeper timings. On dispose, every log the processes
    /// wrote is searched for pieces of JWTs: of those <paramref name="tokens"/> minted, and any other.
    /// </summary>
    /// <param name="basePort">The port block (<see cref="FreePortBlock"/>), when the caller needs the addresses before the cluster is up.</param>
    public static async Task<LocalCluster> UpAsync(
        int silos, int apis, IReadOnlyDictionary<string, string>? settings = null, TestTokens? tokens = null, int? basePort = null)
    {
        var port = basePort ?? FreePortBlock();
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["REGISTRY_CLUSTER_DIR"] = Path.Combine(ClustersRoot, $"registry-e2e-{Guid.NewGuid():N}"),
            ["REGISTRY_BASE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["REGISTRY_CONFIGURATION"] = RepoPaths.Configuration,
            ["ConnectionStrings__Registry"] = await TestPostgres.CreateDatabaseAsync("e2e"),
        };
        var cluster = new LocalCluster(environment, port, tokens);
        try
        {
            await cluster.RunAsync("up", "--silos", silos.ToString(CultureInfo.InvariantCulture), "--apis", apis.ToString(CultureInfo.InvariantCulture), "--no-build");
        }
        catch (Exception failure)
        {
            // cluster.sh stops what a failed `up` started; this also covers an `up` that timed out.
            try
            {
                await cluster.DisposeAsync();
            }
            catch (Exception cleanup)
            {
                throw new AggregateException(failure, cleanup);
            }

            throw;
        }

        return cluster;
    }

    public Task RestartApiAsync(int index) => RunAsync("restart-api", index.ToString(CultureInfo.InvariantCulture));

    /// <summary>Stops silo <paramref name="index"/> with SIGTERM, waits for it to exit, starts it again.</summary>
    public Task RestartSiloAsync(int index) => RunAsync("restart-silo", index.ToString(CultureInfo.InvariantCulture));

    public Task AddSiloAsync() => RunAsync("add-silo");

    /// <summary>Ends silo <paramref name="index"/> with SIGKILL: no goodbye to the cluster, as in a crash.</summary>
    public void KillSilo(int index)
    {
        using var process = Process.GetProcessById(PidFile.RequireLivePid(PidPath("silo", index)));
        process.Kill();
        process.WaitForExit();
    }

    private string PidPath(string kind, int index) => Path.Combine(_environment["REGISTRY_CLUSTER_DIR"], "pids", $"{kind}-{index}.pid");

    /// <summary>The text of log file <paramref name="name"/> under the cluster's <c>logs</c> folder (e.g. <c>silo-0.log</c>), empty if absent.</summary>
    public string ReadLog(string name)
    {
        var file = Path.Combine(_environment["REGISTRY_CLUSTER_DIR"], "logs", name);
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    /// <summary>
    /// What the silos' logs say about membership (a silo suspected or declared dead) and about lease
    /// grain activations, the last <paramref name="most"/> such lines: for the message of a test that
    /// found a stale answer, since a silo declared dead while it still runs can leave a duplicate
    /// activation behind for a moment (docs/DESIGN.md, "Duplicate activations").
    /// </summary>
    public string MembershipEvents(int most = 12)
    {
        var logs = Path.Combine(_environment["REGISTRY_CLUSTER_DIR"], "logs");
        var lines = Directory.Exists(logs)
            ? Directory.EnumerateFiles(logs, "silo-*.log")
                .SelectMany(file => File.ReadLines(file).Where(line => MembershipLine().IsMatch(line)).Select(line => $"{Path.GetFileName(file)}: {(line.Length > 240 ? line[..240] : line)}"))
                .TakeLast(most)
                .ToList()
            : [];
        return lines.Count == 0 ? "no membership change or lease grain activation logged" : string.Join('\n', lines);
    }

    /// <summary>
    /// Why the API nodes failed checks, as they logged it (the failing-closed line with its exception,
    /// at most once a minute per kind of failure), the last <paramref name="most"/> such lines: for the
    /// message of a test that found a failed check.
    /// </summary>
    public string CheckFailuresLogged(int most = 6)
    {
        var logs = Path.Combine(_environment["REGISTRY_CLUSTER_DIR"], "logs");
        var lines = Directory.Exists(logs)
            ? Directory.EnumerateFiles(logs, "api-*.log")
                .SelectMany(file => File.ReadLines(file)
                    .Where(line => line.Contains("Registry unavailable checking token", StringComparison.Ordinal))
                    .Select(line => $"{Path.GetFileName(file)}: {(line.Length > 600 ? line[..600] : line)}"))
                .TakeLast(most)
                .ToList()
            : [];
        return lines.Count == 0 ? "no failed check logged by the API nodes" : string.Join('\n', lines);
    }

    [System.Text.RegularExpressions.GeneratedRegex("declare.{0,20}dead|should be dead|suspect|lease grain activated", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MembershipLine();

    /// <summary>Pauses (SIGSTOP) or resumes (SIGCONT) silo or API process <paramref name="index"/>, as a hung machine would.</summary>
    /// <param name="kind"><c>silo</c> or <c>api</c>.</param>
    /// <param name="index">Which one.</param>
    /// <param name="signal"><c>STOP</c> or <c>CONT</c>.</param>
    public void Signal(string kind, int index, string signal)
    {
        var pid = PidFile.RequireLivePid(PidPath(kind, index)).ToString(CultureInfo.InvariantCulture);
        using var kill = Process.Start("kill", [$"-{signal}", pid])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} ({kind} {index}) failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>The sum of one Prometheus series' samples on API node <paramref name="index"/>'s /metrics (Development: on its API port).</summary>
    public async Task<double> ApiMetricAsync(int index, string name)
    {
        using var http = new HttpClient { BaseAddress = Api(index), Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync("/metrics");
        return PrometheusText.Sum(text, name);
    }

    /// <summary>The sum of one Prometheus series' samples on silo <paramref name="index"/>'s /metrics.</summary>
    public async Task<double> SiloMetricAsync(int index, string name)
    {
        using var http = new HttpClient { BaseAddress = SiloHttp(index), Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync("/metrics");
        return PrometheusText.Sum(text, name);
    }

    /// <summary>Kills the cluster's processes, then fails if any of its logs holds a piece of a token (promise 7); such logs are kept.</summary>
    public async ValueTask DisposeAsync()
    {
        // A cluster directory that never got PID files has nothing to stop. The cluster is
        // thrown away with its database: killed at once, not stopped gracefully (tests that need
        // a graceful stop ask for one: RestartSiloAsync).
        if (Directory.Exists(Path.Combine(_environment["REGISTRY_CLUSTER_DIR"], "pids")))
        {
            await RunAsync("down", "--kill");
        }

        var directory = _environment["REGISTRY_CLUSTER_DIR"];
        var logs = Path.Combine(directory, "logs");
        var leaks = Directory.Exists(logs)
            ? TokenLeaks.Find(
                _tokens?.Minted ?? [],
                Directory.EnumerateFiles(logs).SelectMany(file => File.ReadLines(file).Select(line => (Path.GetFileName(file), line))))
            : [];

        // REGISTRY_KEEP_CLUSTER_LOGS=1 keeps every cluster's logs and PIDs for a post-mortem.
        if (leaks.Count == 0 && Environment.GetEnvironmentVariable("REGISTRY_KEEP_CLUSTER_LOGS") != "1")
        {
            Directory.Delete(directory, recursive: true);
        }

        TokenLeaks.AssertNone(leaks, $"(logs kept in {logs})");
    }

    private async Task RunAsync(params string[] args)
    {
        // On a timeout everything this run of cluster.sh started is killed with it (silos it was
        // starting included); silos started earlier are stopped by `down` on dispose.
        var run = await ScriptRun.RunAsync("bash", [RepoPaths.Script("cluster.sh"), .. args], TimeSpan.FromMinutes(3), _environment);
        if (run.ExitCode != 0)
        {
            var logs = Path.Combine(_environment["REGISTRY_CLUSTER_DIR"], "logs");
            var tails = Directory.Exists(logs)
                ? string.Join("\n", Directory.GetFiles(logs).Select(f => $"--- {f}\n{string.Join("\n", File.ReadLines(f).TakeLast(15))}"))
                : "";
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} failed ({run.ExitCode}):\n{run.Output}\n{run.Errors}\n{tails}");
        }
    }

    /// <summary>A base port whose silo, gateway and API ranges are all free right now.</summary>
    public static int FreePortBlock()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below the kernel's ephemeral range (32768–60999 here): a port the kernel hands out to an
            // outgoing connection between this probe and the bind made a silo fail to start. Below
            // the benchmarks' blocks too (scripts/bench.sh from 26000, bench-gateway.sh from 29000),
            // which may be about to bind what this probe finds free.
            var candidate = Random.Shared.Next(10000, 26000 - 400);
            if (Enumerable.Range(0, 10).All(i => IsFree(candidate + i) && IsFree(candidate + 100 + i) && IsFree(candidate + 200 + i) && IsFree(candidate + 300 + i)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No free block of loopback ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
