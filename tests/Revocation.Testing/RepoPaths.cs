namespace Revocation.Testing;

/// <summary>Where the repository's scripts and the projects' own build outputs are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    /// <summary>A file under <c>deploy/</c>.</summary>
    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    /// <summary>The silo executable in its own output folder, next to its own appsettings.json.</summary>
    public static string SiloDll => Path.Combine(Root, "src", "Silo", "bin", Configuration, "net10.0", "Revocation.Silo.dll");

    /// <summary>The API node executable in its own output folder, next to its own appsettings.json.</summary>
    public static string ApiDll => Path.Combine(Root, "src", "Api", "Revocation.Api", "bin", Configuration, "net10.0", "Revocation.Api.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Orleans.sln not found above {AppContext.BaseDirectory}.");
    }
}
