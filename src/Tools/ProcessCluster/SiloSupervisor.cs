using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Revocation.ProcessCluster;

/// <summary>
/// One per silo (<c>supervise-silo I</c>, started by <c>up</c>, <c>add-silo</c> and <c>restart-silo</c>):
/// it runs the silo, keeps its PID in <c>silo-I.pid</c> (so kill, status and the tests see the running
/// silo), and starts it again on the same ports when it exits with <see cref="RecycleExit"/> (it
/// recycled itself: <c>Rejuvenation:*</c>) — and only then. SIGTERM to the supervisor (<c>down</c>,
/// <c>restart-silo</c>) is passed on to the silo, and the supervisor then exits whatever the silo's
/// status: a silo stopped by an operator is never started again behind their back.
/// </summary>
internal sealed class SiloSupervisor(ClusterLayout layout, ClusterState state, int index)
{
    /// <summary>The exit status of a silo that recycled itself (EX_TEMPFAIL). Any other exit is left for an operator.</summary>
    public const int RecycleExit = 75;

    private volatile bool _stopping;
    private volatile Process? _silo;

    public async Task<int> RunAsync()
    {
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true; // exit once the silo has
            _stopping = true;
            if (_silo is { } silo)
            {
                PidFile.Signal(silo.Id, PidFile.SigTerm);
            }
        });

        while (!_stopping)
        {
            using var silo = Launcher.StartChild(layout.Log($"silo-{ClusterLayout.Number(index)}"), Settings(), "dotnet", layout.SiloDll, "--urls", $"http://127.0.0.1:{ClusterLayout.Number(layout.SiloHttpPort(index))}");
            _silo = silo;
            PidFile.Write(layout.SiloPid(index), silo.Id);
            if (_stopping)
            {
                PidFile.Signal(silo.Id, PidFile.SigTerm); // SIGTERM came between the start and _silo
            }

            await silo.WaitForExitAsync();
            Note($"silo {index} (pid {silo.Id}) exited with status {silo.ExitCode}");
            if (_stopping || silo.ExitCode != RecycleExit)
            {
                break;
            }

            Note($"silo {index} recycled itself; starting it again");
        }

        File.Delete(layout.SupervisorPid(index));
        return 0;
    }

    private List<KeyValuePair<string, string>> Settings() =>
    [
        new("ConnectionStrings__Registry", state.Connection),
        new("Database__MigrateOnStart", "false"),
        .. state.TlsSettings(layout, "silo"),
        new("Cluster__Provider", "AdoNet"),
        new("Orleans__ClusterId", state.ClusterId),
        new("Cluster__AdvertisedAddress", "127.0.0.1"),
        new("Cluster__SiloPort", ClusterLayout.Number(layout.SiloPort(index))),
        new("Cluster__GatewayPort", ClusterLayout.Number(layout.GatewayPort(index))),
        new("Dashboard__Url", $"http://127.0.0.1:{ClusterLayout.Number(layout.DashboardPort(index))}"),
    ];

    private static void Note(string line) =>
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} supervisor: {line}");
}
