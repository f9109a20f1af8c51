using System.Globalization;

namespace Revocation.ProcessCluster;

/// <summary>The commands of <c>scripts/cluster.sh</c>, on the cluster in <see cref="ClusterLayout"/>.</summary>
internal sealed class ClusterCommands(ClusterLayout layout)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    public async Task UpAsync(int silos, int apis, bool build)
    {
        if (layout.SiloIndexes().Any() || layout.ApiIndexes().Any())
        {
            throw new ClusterError($"a cluster is already up in {layout.Directory}; run down first");
        }

        Directory.CreateDirectory(layout.Pids);
        Directory.CreateDirectory(layout.Logs);
        try
        {
            var state = await PrepareAsync(build);

            // Every process starts at once: an API node starts up (its host, its JIT) while the silos
            // do, and connects as soon as one is a gateway (its client retries every second until
            // then), so a cluster is up in the time of its slowest member, not the sum of them.
            for (var i = 0; i < silos; i++)
            {
                await LaunchSiloAsync(i);
            }

            for (var j = 0; j < apis; j++)
            {
                LaunchApi(j, state);
            }

            for (var i = 0; i < silos; i++)
            {
                await AwaitSiloAsync(i);
            }

            for (var j = 0; j < apis; j++)
            {
                await AwaitApiAsync(j);
            }
        }
        catch
        {
            // A failed `up` stops whatever it had started: no half cluster is left running.
            await Console.Error.WriteLineAsync("cluster.sh: up failed; stopping what it started");
            await DownAsync();
            throw;
        }
    }

    /// <summary>Builds, makes the certificates, starts PostgreSQL, migrates: what every process then needs.</summary>
    private async Task<ClusterState> PrepareAsync(bool build)
    {
        if (build)
        {
            foreach (var project in (string[])["src/Silo/Revocation.Silo.csproj", "src/Api/Revocation.Api/Revocation.Api.csproj"])
            {
                Launcher.Output("dotnet", "build", "-c", layout.Configuration, project, "-v", "q", "-nologo");
            }
        }

        if (!File.Exists(layout.SiloDll) || !File.Exists(layout.ApiDll))
        {
            throw new ClusterError($"build output missing ({layout.SiloDll}, {layout.ApiDll})");
        }

        var tls = Environment.GetEnvironmentVariable("REGISTRY_CLUSTER_TLS") is { Length: > 0 } mode ? mode : "on";
        if (tls is not ("on" or "off"))
        {
            throw new ClusterError($"REGISTRY_CLUSTER_TLS must be on or off (was {tls})");
        }

        if (tls == "on" && await Launcher.RunAsync(layout.Log("certificates"), [], "scripts/cluster-certs.sh", layout.TlsDirectory) != 0)
        {
            throw new ClusterError($"could not create the cluster's certificates in {layout.TlsDirectory}");
        }

        Launcher.Output("scripts/postgres.sh", "start");
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Registry") is { Length: > 0 } given
            ? given
            : Launcher.Output("scripts/postgres.sh", "url").Trim();
        var clusterId = Environment.GetEnvironmentVariable("REGISTRY_CLUSTER_ID") is { Length: > 0 } id
            ? id
            : $"local-{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}-{ClusterLayout.Number(Environment.ProcessId)}";
        var state = new ClusterState(connection, clusterId, tls == "on");
        state.Save(layout);
        if (await Launcher.RunAsync(layout.Log("migrate"), [new("ConnectionStrings__Registry", connection)], "dotnet", layout.SiloDll, "migrate") != 0)
        {
            throw new ClusterError($"migrations failed (see {layout.Log("migrate")})");
        }

        return state;
    }

    public async Task DownAsync()
    {
        // Every API node at once, then every secondary silo at once (each stop waits for its own
        // graceful shutdown: one after another, a cluster took the sum of them to stop), the
        // primary last, so the others can leave it cleanly.
        await Task.WhenAll(layout.ApiIndexes().Select(j => StopAsync(layout.ApiPid(j), TimeSpan.FromSeconds(20))));
        await Task.WhenAll(layout.SiloIndexes().Where(i => i != 0).Select(StopSiloAsync));
        await StopSiloAsync(0);
        Console.WriteLine("cluster.sh: down");
    }

    /// <summary>
    /// Every process of the cluster at once with SIGKILL: the supervisors first, so none starts its
    /// silo again; then waits until each has exited (its ports are free then).
    /// </summary>
    public async Task KillAsync()
    {
        var files = Directory.Exists(layout.Pids)
            ? ((string[])["silo-*.supervisor.pid", "silo-*.pid", "api-*.pid"]).SelectMany(pattern => Directory.GetFiles(layout.Pids, pattern)).Distinct().ToList()
            : [];
        var killed = new List<int>();
        foreach (var file in files)
        {
            if (PidFile.LivePid(file) is { } pid && PidFile.Signal(pid, PidFile.SigKill))
            {
                killed.Add(pid);
            }

            File.Delete(file);
        }

        foreach (var pid in killed)
        {
            await WaitForExitAsync(pid, TimeSpan.FromSeconds(5));
        }

        Console.WriteLine("cluster.sh: down (killed)");
    }

    public int Status()
    {
        var found = false;
        foreach (var (name, file) in layout.SiloIndexes().Select(i => ($"silo-{ClusterLayout.Number(i)}", layout.SiloPid(i)))
            .Concat(layout.ApiIndexes().Select(j => ($"api-{ClusterLayout.Number(j)}", layout.ApiPid(j)))))
        {
            found = true;
            Console.WriteLine(PidFile.LivePid(file) is { } pid ? $"{name}: running (pid {ClusterLayout.Number(pid)})" : $"{name}: dead");
        }

        if (!found)
        {
            Console.WriteLine($"no cluster in {layout.Directory}");
            return 3;
        }

        return 0;
    }

    public void Pid(string process)
    {
        var file = Path.Combine(layout.Pids, $"{process}.pid");
        Console.WriteLine(ClusterLayout.Number(PidFile.LivePid(file) ?? throw new ClusterError($"{process} is not running")));
    }

    public async Task AddSiloAsync()
    {
        ClusterState.Load(layout);
        var next = layout.SiloIndexes().DefaultIfEmpty(-1).Max() + 1;
        await LaunchSiloAsync(next);
        await AwaitSiloAsync(next);
    }

    /// <summary>Graceful: SIGTERM, wait for the exit, start it again on the same ports.</summary>
    public async Task RestartSiloAsync(int i)
    {
        ClusterState.Load(layout);
        if (!File.Exists(layout.SiloPid(i)))
        {
            throw new ClusterError($"no silo {ClusterLayout.Number(i)} in {layout.Directory}");
        }

        await StopSiloAsync(i);
        await LaunchSiloAsync(i);
        await AwaitSiloAsync(i);
    }

    public async Task RestartApiAsync(int j)
    {
        var state = ClusterState.Load(layout);
        await StopAsync(layout.ApiPid(j), TimeSpan.FromSeconds(20));
        LaunchApi(j, state);
        await AwaitApiAsync(j);
    }

    public void ClientEnv() =>
        Console.WriteLine(string.Join(' ', ClusterState.Load(layout).TlsSettings(layout, "api").Select(setting => $"{setting.Key}={setting.Value}")));

    private async Task LaunchSiloAsync(int i)
    {
        File.Delete(layout.SiloPid(i));
        var supervisor = Launcher.StartDetached(
            layout.Log($"supervisor-{ClusterLayout.Number(i)}"), [], "dotnet", typeof(ClusterCommands).Assembly.Location, "supervise-silo", ClusterLayout.Number(i));
        PidFile.Write(layout.SupervisorPid(i), supervisor);
        while (!File.Exists(layout.SiloPid(i)))
        {
            if (!PidFile.Exists(supervisor) && !File.Exists(layout.SiloPid(i)))
            {
                throw new ClusterError($"the supervisor of silo {ClusterLayout.Number(i)} exited before starting it (logs: {layout.Logs})");
            }

            await Task.Delay(50);
        }
    }

    private async Task AwaitSiloAsync(int i)
    {
        await Readiness.AwaitAsync(layout.SiloHttpPort(i), layout.SiloPid(i), $"silo {ClusterLayout.Number(i)}", layout.Logs, StartLimit);
        Console.WriteLine($"silo {ClusterLayout.Number(i)}: pid {ClusterLayout.Number(PidFile.RequireLivePid(layout.SiloPid(i)))}, silo port {ClusterLayout.Number(layout.SiloPort(i))}, gateway {ClusterLayout.Number(layout.GatewayPort(i))}, http://127.0.0.1:{ClusterLayout.Number(layout.SiloHttpPort(i))}");
    }

    private void LaunchApi(int j, ClusterState state)
    {
        List<KeyValuePair<string, string>> settings =
        [
            new("ASPNETCORE_ENVIRONMENT", Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } environment ? environment : "Development"),
            new("ConnectionStrings__Registry", state.Connection),
            .. state.TlsSettings(layout, "api"),
            new("Registry__Clustering", "AdoNet"),
            new("Orleans__ClusterId", state.ClusterId),
            .. OwnSettings(j),
        ];
        var pid = Launcher.StartDetached(
            layout.Log($"api-{ClusterLayout.Number(j)}"), settings,
            "dotnet", layout.ApiDll, "--urls", $"http://127.0.0.1:{ClusterLayout.Number(layout.ApiPort(j))}", "--contentRoot", Path.GetDirectoryName(layout.ApiDll)!);
        PidFile.Write(layout.ApiPid(j), pid);
    }

    private async Task AwaitApiAsync(int j)
    {
        await Readiness.AwaitAsync(layout.ApiPort(j), layout.ApiPid(j), $"API node {ClusterLayout.Number(j)}", layout.Logs, StartLimit);
        Console.WriteLine($"api {ClusterLayout.Number(j)}: pid {ClusterLayout.Number(PidFile.RequireLivePid(layout.ApiPid(j)))}, http://127.0.0.1:{ClusterLayout.Number(layout.ApiPort(j))}");
    }

    /// <summary>Settings for API node <paramref name="j"/> only: <c>REGISTRY_API_J_SETTINGS="Section__Key=value …"</c> (e.g. a FailOpen node).</summary>
    private static IEnumerable<KeyValuePair<string, string>> OwnSettings(int j)
    {
        var variable = $"REGISTRY_API_{ClusterLayout.Number(j)}_SETTINGS";
        foreach (var word in (Environment.GetEnvironmentVariable(variable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1)
            {
                throw new ClusterError($"{variable} holds words KEY=value (was '{word}')");
            }

            yield return new(word[..equals], word[(equals + 1)..]);
        }
    }

    /// <summary>
    /// Stops silo <paramref name="i"/> for good: first its supervisor (which passes SIGTERM on and waits
    /// for the silo), so that a recycle ending at the same moment is not restarted; then whatever is
    /// left of the silo.
    /// </summary>
    private async Task StopSiloAsync(int i)
    {
        await StopAsync(layout.SupervisorPid(i), TimeSpan.FromSeconds(40));
        await StopAsync(layout.SiloPid(i), TimeSpan.FromSeconds(20));
    }

    /// <summary>SIGTERM to the process of <paramref name="file"/>, SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    private static async Task StopAsync(string file, TimeSpan grace)
    {
        if (PidFile.LivePid(file) is { } pid)
        {
            PidFile.Signal(pid, PidFile.SigTerm);
            if (!await WaitForExitAsync(pid, grace))
            {
                PidFile.Signal(pid, PidFile.SigKill);
            }
        }

        File.Delete(file);
    }

    private static async Task<bool> WaitForExitAsync(int pid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (PidFile.Exists(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
