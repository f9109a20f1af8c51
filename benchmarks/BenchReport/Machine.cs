using System.Diagnostics;
using System.Globalization;

namespace Revocation.BenchReport;

/// <summary>The lines every report opens with: the machine, the tools' versions, the commit and the time.</summary>
internal static class Machine
{
    /// <summary>The folders whose changes make a measured commit "with uncommitted changes".</summary>
    private static readonly string[] MeasuredPaths = ["src", "benchmarks/HttpCheckBench", "benchmarks/LeaseScale", "scripts"];

    public static string Describe(string postgresVersion)
    {
        var cores = Environment.ProcessorCount;
        var model = FirstValue("/proc/cpuinfo", "model name");
        var memory = FirstValue("/proc/meminfo", "MemTotal");
        var gib = long.TryParse(memory.Split(' ')[0], CultureInfo.InvariantCulture, out var kib) ? kib / 1024 / 1024 : 0;
        var os = FirstValue("/etc/os-release", "PRETTY_NAME", '=').Trim('"');
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;
        var runtime = Output("dotnet", "--list-runtimes").Split('\n').LastOrDefault(line => line.StartsWith("Microsoft.NETCore.App ", StringComparison.Ordinal))?.Split(' ')[1] ?? "";
        var wrk = string.Join(' ', Output("wrk", "--version").Split('\n')[0].Split(' ').Take(2));
        var commit = Commit();
        var changed = Exit("git", ["diff", "--quiet", "HEAD", "--", .. MeasuredPaths]) == 1 ? " (with uncommitted changes)" : "";
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        return $"""
            - Machine: {cores} cores ({model}), {gib} GiB RAM, {os}, kernel {kernel}
            - .NET SDK {Output("dotnet", "--version").Trim()}, runtime {runtime}; PostgreSQL {postgresVersion}; {wrk}
            - Commit {commit}{changed}, {now}
            """;
    }

    /// <summary>The measured commit, abbreviated as git abbreviates it.</summary>
    public static string Commit() => Output("git", "rev-parse", "--short", "HEAD").Trim();

    /// <summary>The value of the first "key: value" (or "key=value") line of a file, trimmed; empty if absent.</summary>
    private static string FirstValue(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return "";
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l.Contains(separator, StringComparison.Ordinal));
        return line is null ? "" : line[(line.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim();
    }

    /// <summary>What a tool printed on stdout and stderr; empty when it is not installed.</summary>
    private static string Output(string file, params string[] arguments)
    {
        using var process = Start(file, arguments);
        if (process is null)
        {
            return "";
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result.Length > 0 ? output.Result : errors;
    }

    private static int Exit(string file, string[] arguments)
    {
        using var process = Start(file, arguments);
        if (process is null)
        {
            return -1;
        }

        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        errors.Wait();
        return process.ExitCode;
    }

    private static Process? Start(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
