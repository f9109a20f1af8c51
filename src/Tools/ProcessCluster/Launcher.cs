using System.Diagnostics;
using System.Globalization;

namespace Revocation.ProcessCluster;

/// <summary>
/// How the cluster's processes are started: each writes to its own log (appended), reads nothing,
/// and gets this process's environment plus its own settings.
/// </summary>
internal static class Launcher
{
    // sh only redirects and execs: the process keeps no pipe of ours, so whoever reads this
    // command's output (a test) sees it end, and the process outlives it.
    private const string Detached = "log=$1; shift; \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!";
    private const string Attached = "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";

    /// <summary>Starts <paramref name="command"/> in the background, detached from this process; its PID.</summary>
    public static int StartDetached(string log, IEnumerable<KeyValuePair<string, string>> settings, params string[] command)
    {
        using var sh = Process.Start(Shell(Detached, log, settings, command, redirectOutput: true))
            ?? throw new ClusterError($"could not start {command[0]}");
        var pid = sh.StandardOutput.ReadToEnd().Trim();
        sh.WaitForExit();
        return int.TryParse(pid, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ClusterError($"could not start {string.Join(' ', command)} (sh printed '{pid}')");
    }

    /// <summary>Starts <paramref name="command"/> as this process's child (the PID is its own, its exit status ours to read).</summary>
    public static Process StartChild(string log, IEnumerable<KeyValuePair<string, string>> settings, params string[] command) =>
        Process.Start(Shell(Attached, log, settings, command, redirectOutput: false))
            ?? throw new ClusterError($"could not start {command[0]}");

    /// <summary>Runs <paramref name="command"/> to its end, its output appended to <paramref name="log"/>; its exit status.</summary>
    public static async Task<int> RunAsync(string log, IEnumerable<KeyValuePair<string, string>> settings, params string[] command)
    {
        using var process = StartChild(log, settings, command);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>Runs <paramref name="command"/> and returns what it printed; throws naming it when it fails.</summary>
    public static string Output(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new ClusterError($"could not start {command[0]}");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new ClusterError($"{string.Join(' ', command)} failed ({process.ExitCode}): {errors.Result.Trim()}");
    }

    private static ProcessStartInfo Shell(string script, string log, IEnumerable<KeyValuePair<string, string>> settings, string[] command, bool redirectOutput)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = redirectOutput, UseShellExecute = false };
        foreach (var argument in (string[])["-c", script, "sh", log, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
