using System.Diagnostics;

namespace Revocation.Testing.Hosting;

/// <summary>A program (usually one of the repository's scripts) run to its end from the repository root, its output kept.</summary>
public static class ScriptRun
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> and <paramref name="environment"/> added
    /// to this process's. One still running after <paramref name="limit"/> is killed with everything it
    /// started, and a <see cref="TimeoutException"/> carrying its output is thrown.
    /// </summary>
    public static async Task<ScriptResult> RunAsync(
        string file, IEnumerable<string> args, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{string.Join(' ', start.ArgumentList.Prepend(file))} did not finish within {limit}; killed with its children.\n{await output}\n{await errors}");
        }

        return new ScriptResult(process.ExitCode, await output, await errors);
    }
}

/// <summary>How a <see cref="ScriptRun"/> ended.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Errors);
