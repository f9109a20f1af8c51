using System.Globalization;

namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// The PID files <c>scripts/cluster.sh</c> writes: <c>PID START</c>, the start time being field 22 of
/// <c>/proc/PID/stat</c>. A PID is trusted only while the process that has it started at that
/// very time: after ours died the kernel may give the number to anything else.
/// </summary>
public static class PidFile
{
    /// <summary>The PID named by <paramref name="path"/>, if that process still runs; otherwise null.</summary>
    public static int? LivePid(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid))
        {
            throw new InvalidDataException($"{path} does not hold \"PID START\": '{string.Join(' ', parts)}'.");
        }

        return StartTime(pid) == parts[1] ? pid : null;
    }

    /// <summary>The PID named by <paramref name="path"/>; throws, naming the file, when that process is gone.</summary>
    public static int RequireLivePid(string path) =>
        LivePid(path) ?? throw new InvalidOperationException($"The process of {path} is not running (exited, or its PID now belongs to another process).");

    private static string? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // Fields after "(comm)" (which may hold spaces and parentheses) start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? fields[19] : null;
    }
}
