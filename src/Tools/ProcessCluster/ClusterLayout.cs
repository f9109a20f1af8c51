using System.Globalization;

namespace Revocation.ProcessCluster;

/// <summary>
/// Where a cluster lives and which ports it takes, from the environment: <c>REGISTRY_CLUSTER_DIR</c>
/// (default <c>.run/cluster</c>) holds its PID files, logs and what <c>up</c> decided (connection
/// string, cluster id, TLS mode); silo i listens on BASE+i, its gateway on BASE+100+i, its health
/// and metrics on BASE+300+i, its Orleans Dashboard on BASE+400+i; API node j on BASE+200+j
/// (BASE = <c>REGISTRY_BASE_PORT</c>, default 21000); <c>REGISTRY_CONFIGURATION</c> (Release) picks
/// the build of the silo and the API node.
/// </summary>
internal sealed class ClusterLayout
{
    private ClusterLayout(string directory, int basePort, string configuration)
    {
        Directory = Path.GetFullPath(directory);
        BasePort = basePort;
        Configuration = configuration;
    }

    public string Directory { get; }

    public int BasePort { get; }

    public string Configuration { get; }

    public string Pids => Path.Combine(Directory, "pids");

    public string Logs => Path.Combine(Directory, "logs");

    public string TlsDirectory => Path.Combine(Directory, "tls");

    public string SiloDll => Path.GetFullPath($"src/Silo/bin/{Configuration}/net10.0/Revocation.Silo.dll");

    public string ApiDll => Path.GetFullPath($"src/Api/Revocation.Api/bin/{Configuration}/net10.0/Revocation.Api.dll");

    public static ClusterLayout FromEnvironment()
    {
        var basePortText = Environment.GetEnvironmentVariable("REGISTRY_BASE_PORT");
        var basePort = 21000;
        if (!string.IsNullOrEmpty(basePortText)
            && (!int.TryParse(basePortText, NumberStyles.None, CultureInfo.InvariantCulture, out basePort) || basePort is < 1024 or > 65000))
        {
            throw new ClusterError($"REGISTRY_BASE_PORT must be a port from 1024 to 65000, leaving room for the cluster's 500 (was '{basePortText}')");
        }

        return new ClusterLayout(
            Environment.GetEnvironmentVariable("REGISTRY_CLUSTER_DIR") is { Length: > 0 } directory ? directory : ".run/cluster",
            basePort,
            Environment.GetEnvironmentVariable("REGISTRY_CONFIGURATION") is { Length: > 0 } configuration ? configuration : "Release");
    }

    public int SiloPort(int i) => BasePort + i;

    public int GatewayPort(int i) => BasePort + 100 + i;

    public int ApiPort(int j) => BasePort + 200 + j;

    public int SiloHttpPort(int i) => BasePort + 300 + i;

    public int DashboardPort(int i) => BasePort + 400 + i;

    public string SiloPid(int i) => Path.Combine(Pids, $"silo-{Number(i)}.pid");

    public string SupervisorPid(int i) => Path.Combine(Pids, $"silo-{Number(i)}.supervisor.pid");

    public string ApiPid(int j) => Path.Combine(Pids, $"api-{Number(j)}.pid");

    public string Log(string name) => Path.Combine(Logs, $"{name}.log");

    /// <summary>The silo indexes with a PID file (killed ones included), in order.</summary>
    public IEnumerable<int> SiloIndexes() => Indexes("silo-");

    public IEnumerable<int> ApiIndexes() => Indexes("api-");

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private IEnumerable<int> Indexes(string prefix) =>
        System.IO.Directory.Exists(Pids)
            ? System.IO.Directory.GetFiles(Pids, $"{prefix}*.pid")
                .Select(Path.GetFileName)
                .Select(name => name![prefix.Length..^".pid".Length])
                .Where(index => !index.EndsWith(".supervisor", StringComparison.Ordinal))
                .Select(index => int.Parse(index, CultureInfo.InvariantCulture))
                .Order()
            : [];
}
