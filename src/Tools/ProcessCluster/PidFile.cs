using System.Globalization;
using System.Runtime.InteropServices;

namespace Revocation.ProcessCluster;

/// <summary>
/// The cluster's PID files: <c>PID START</c>, the start time being field 22 of <c>/proc/PID/stat</c>.
/// A PID is trusted only while the process that has it started at that very time: after ours died
/// the kernel may give the number to anything else, which must never be signalled.
/// </summary>
public static partial class PidFile
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Write(string path, int pid) =>
        File.WriteAllText(path, $"{pid.ToString(CultureInfo.InvariantCulture)} {StartTime(pid) ?? throw new ClusterError($"process {pid} exited before its PID file was written")}\n");

    /// <summary>The PID named by <paramref name="path"/>, if that process still runs; otherwise null.</summary>
    public static int? LivePid(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid))
        {
            throw new InvalidDataException($"{path} does not hold \"PID START\": '{string.Join(' ', parts)}'.");
        }

        return StartTime(pid) == parts[1] ? pid : null;
    }

    /// <summary>The PID named by <paramref name="path"/>; throws, naming the file, when that process is gone.</summary>
    public static int RequireLivePid(string path) =>
        LivePid(path) ?? throw new InvalidOperationException($"The process of {path} is not running (exited, or its PID now belongs to another process).");

    public static bool IsAlive(string path) => LivePid(path) is not null;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Whether <paramref name="pid"/> is a process that has not exited (a zombie has).</summary>
    public static bool Exists(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Its start time in clock ticks since boot, or null when no such process.</summary>
    public static string? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // Fields after "(comm)" (which may hold spaces and parentheses) start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? fields[19] : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
