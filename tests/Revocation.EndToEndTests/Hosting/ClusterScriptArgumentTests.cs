using System.Diagnostics;

namespace Revocation.EndToEndTests.Hosting;

/// <summary>
/// <c>scripts/cluster.sh</c> refuses an argument it cannot mean (a process index, a count, an option),
/// naming it, before it touches any process (<c>restart-silo 0.supervisor</c> used to stop silo 0 and
/// never start it again).
/// </summary>
public sealed class ClusterScriptArgumentTests
{
    [Theory]
    [InlineData("restart-silo 0.supervisor", "restart-silo I must be a number such as 0 or 1 (was '0.supervisor')")]
    [InlineData("restart-api -1", "restart-api J must be a number such as 0 or 1 (was '-1')")]
    [InlineData("pid silo-0.supervisor", "pid takes silo-I or api-J, e.g. silo-0 (was 'silo-0.supervisor')")]
    [InlineData("up --silos x", "--silos takes a count from 0 to 99 (was 'x')")]
    [InlineData("up --silos 0", "--silos must be at least 1")]
    [InlineData("down --now", "down takes no argument but --kill (was '--now')")]
    public async Task AnArgumentItCannotMean_IsRefusedNamingIt(string arguments, string message)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Script("cluster.sh"), .. arguments.Split(' ')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        start.Environment["REGISTRY_CLUSTER_DIR"] = Path.Combine(Path.GetTempPath(), $"no-cluster-{Guid.NewGuid():N}");

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, process.ExitCode);
        Assert.Contains(message, errors);
    }
}
