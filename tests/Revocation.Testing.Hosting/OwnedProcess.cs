using System.Collections.Concurrent;
using System.Diagnostics;

namespace Revocation.Testing.Hosting;

/// <summary>
/// A `dotnet` executable (or another program) this test started, run from its own output folder (its appsettings.json
/// apply), its output kept for failure messages, and killed — with its children — on dispose. The output of a
/// `dotnet` executable (a silo, an API node, the sample) is then searched for pieces of JWTs (promise 7).
/// </summary>
public sealed class OwnedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly string _name;
    private bool _logsChecked;

    private OwnedProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>Everything the process printed so far.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static OwnedProcess Start(string dll, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var owned = Launch(start, dll);
        owned._logsChecked = true;
        return owned;
    }

    /// <summary>Any other program (e.g. <c>prometheus</c>), started in <paramref name="workingDirectory"/>.</summary>
    public static OwnedProcess StartProgram(string program, string[] args, string workingDirectory)
    {
        return Launch(new ProcessStartInfo(program, args) { WorkingDirectory = workingDirectory }, program);
    }

    private static OwnedProcess Launch(ProcessStartInfo start, string name)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var owned = new OwnedProcess(new Process { StartInfo = start }, name);
        owned._process.OutputDataReceived += (_, line) => owned.Keep(line.Data);
        owned._process.ErrorDataReceived += (_, line) => owned.Keep(line.Data);
        owned._process.Start();
        owned._process.BeginOutputReadLine();
        owned._process.BeginErrorReadLine();
        return owned;
    }

    /// <summary>Waits for the process to end on its own (and for its output); its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_name} did not exit within {limit}. Output:{Environment.NewLine}{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_logsChecked)
        {
            // No token the test minted is known here: what is looked for is any base64url JSON object (eyJ…).
            TokenLeaks.AssertNone([], _output.Select(line => (Path.GetFileName(_name), line)));
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
