using System.Xml.Linq;

namespace Revocation.EndToEndTests.Adoption;

/// <summary>
/// What an adopter gets: the client-side packages packed by <c>scripts/pack.sh</c> into the local
/// feed (<c>artifacts/packages</c>), and <c>samples/OrdersApi</c> built against them through its
/// own <c>samples/nuget.config</c>, restored into a packages folder of its own so that no global
/// NuGet cache (and no package packed earlier with the same version) stands in for the fresh ones.
/// </summary>
public sealed class PackedSample : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"registry-sample-{Guid.NewGuid():N}");

    /// <summary>The version every package is packed with (Directory.Build.props' VersionPrefix).</summary>
    public static string Version { get; } =
        XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    public static string Feed => Path.Combine(RepoPaths.Root, "artifacts", "packages");

    public static string SampleProject => Path.Combine(RepoPaths.Root, "samples", "OrdersApi");

    /// <summary>The sample application, built into a folder of its own.</summary>
    public string SampleDll => Path.Combine(_work, "app", "OrdersApi.dll");

    /// <summary>The sample's restore result: which library came from where.</summary>
    public static string AssetsFile => Path.Combine(SampleProject, "obj", "project.assets.json");

    public string PackagesFolder => Path.Combine(_work, "packages");

    public static string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        await RunAsync("bash", [RepoPaths.Script("pack.sh")], TimeSpan.FromMinutes(4));
        await RunAsync("dotnet", ["build", SampleProject, "-nologo", "-v", "q", "-o", Path.Combine(_work, "app"),
            $"-p:RestorePackagesPath={PackagesFolder}"], TimeSpan.FromMinutes(4));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static async Task RunAsync(string file, string[] args, TimeSpan limit)
    {
        var result = await ScriptRun.RunAsync(file, args, limit);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {result.ExitCode}:{Environment.NewLine}{result.Output}{Environment.NewLine}{result.Errors}");
        }
    }
}
