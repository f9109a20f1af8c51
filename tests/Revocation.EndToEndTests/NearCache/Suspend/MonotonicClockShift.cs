using System.Diagnostics;

namespace Revocation.EndToEndTests.NearCache.Suspend;

/// <summary>
/// Makes a process's monotonic clocks stand still across a pause, as a system suspend does: the
/// <c>monotonic-shift.c</c> shim (built here with gcc) is preloaded into the process and subtracts
/// a shift it reads from a shared file; <see cref="StandStillAsync"/> raises the shift by how long
/// the process was stopped, before it is continued. The wall clock is left alone.
/// </summary>
public sealed class MonotonicClockShift : IDisposable
{
    private readonly string _folder;
    private readonly string _shiftFile;
    private long _shiftNs;

    private MonotonicClockShift(string folder)
    {
        _folder = folder;
        _shiftFile = Path.Combine(folder, "monotonic-shift");
        File.WriteAllBytes(_shiftFile, new byte[sizeof(long)]);
    }

    /// <summary>Environment words (KEY=value) that preload the shim into a process (e.g. an API node's REGISTRY_API_J_SETTINGS).</summary>
    public string EnvironmentWords => $"LD_PRELOAD={Path.Combine(_folder, "monotonic-shift.so")} MONOTONIC_SHIFT_FILE={_shiftFile}";

    public static async Task<MonotonicClockShift> BuildAsync()
    {
        var folder = Directory.CreateTempSubdirectory("monotonic-shift-").FullName;
        var source = Path.Combine(RepoPaths.Root, "tests", "Revocation.EndToEndTests", "NearCache", "Suspend", "monotonic-shift.c");
        await EnsureGccAsync();
        var start = new ProcessStartInfo("gcc", ["-shared", "-fPIC", "-O2", "-Wall", "-o", Path.Combine(folder, "monotonic-shift.so"), source, "-ldl"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process gcc;
        try
        {
            gcc = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("The suspend test builds its clock shim with gcc, which is not installed (Debian: apt-get install gcc).", ex);
        }

        using (gcc)
        {
            var errors = await gcc.StandardError.ReadToEndAsync();
            await gcc.WaitForExitAsync();
            if (gcc.ExitCode != 0)
            {
                throw new InvalidOperationException($"gcc could not build {source}: {errors}");
            }
        }

        return new MonotonicClockShift(folder);
    }

    /// <summary>Installs Debian's gcc if it is missing (scripts/ensure-package.sh), as the scripts do for their tools.</summary>
    private static async Task EnsureGccAsync()
    {
        using var ensure = Process.Start(new ProcessStartInfo(RepoPaths.Script("ensure-package.sh"), ["gcc", "gcc"]) { RedirectStandardError = true })!;
        var errors = await ensure.StandardError.ReadToEndAsync();
        await ensure.WaitForExitAsync();
        if (ensure.ExitCode != 0)
        {
            throw new InvalidOperationException($"The suspend test builds its clock shim with gcc, which is missing and could not be installed: {errors}");
        }
    }

    /// <summary>
    /// Hides <paramref name="stopped"/> from the process's monotonic clocks. Call only while the
    /// process is stopped, with no more than it has been stopped, so that it never sees them go back.
    /// </summary>
    public async Task StandStillAsync(TimeSpan stopped)
    {
        _shiftNs += (long)(stopped.TotalMilliseconds * 1_000_000);
        var bytes = BitConverter.GetBytes(_shiftNs); // host order, as the shim reads it

        // Written in place: truncating the file would fault the process's mapping of it.
        await using var file = new FileStream(_shiftFile, FileMode.Open, FileAccess.Write);
        await file.WriteAsync(bytes);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
