namespace Revocation.AppHost;

/// <summary>
/// The silo and the API node as executables (<c>dotnet Program.dll</c>) out of the build the AppHost's
/// own build made, rather than as Aspire projects, which DCP starts through <c>dotnet run</c>: that
/// evaluates each project again before starting it, and stands between the process and the SIGTERM
/// that stops it (a graceful stop then waits out DCP's timeout).
/// </summary>
internal static class RegistryPrograms
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static IResourceBuilder<ExecutableResource> AddRegistryProgram<TProject>(
        this IDistributedApplicationBuilder builder, string name, params string[] args)
        where TProject : IProjectMetadata, new()
    {
        var project = new TProject().ProjectPath;
        var directory = Path.GetDirectoryName(project)!;
        var dll = Path.Combine(directory, "bin", Configuration, "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the AppHost (dotnet build src/AppHost), which builds it");
        }

        return builder.AddExecutable(name, "dotnet", Path.GetDirectoryName(dll)!, [dll, .. args]).WithOtlpExporter();
    }
}
