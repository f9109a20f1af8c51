namespace Revocation.Testing.Hosting;

/// <summary>Debian's monitoring tools, installed on first use like scripts/postgres.sh installs PostgreSQL.</summary>
public static class MonitoringTools
{
    /// <summary>
    /// Installs <paramref name="package"/> unless <paramref name="command"/> exists. Throws when it
    /// cannot: a test that needs the tool fails then, it never skips.
    /// </summary>
    public static async Task EnsureAsync(string command, string package)
    {
        var (exitCode, output) = await RunAsync("bash", [RepoPaths.Script("ensure-package.sh"), command, package], TimeSpan.FromMinutes(5));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{command} is missing and {package} could not be installed ({exitCode}):\n{output}");
        }
    }

    /// <summary>Runs a program from the repository root to its end; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, TimeSpan limit)
    {
        await using var process = OwnedProcess.StartProgram(program, args, RepoPaths.Root);
        var exitCode = await process.WaitForExitAsync(limit);
        return (exitCode, process.Output);
    }
}
