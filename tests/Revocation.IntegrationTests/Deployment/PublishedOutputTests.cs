namespace Revocation.IntegrationTests.Deployment;

/// <summary>
/// appsettings.Development.json (a published HMAC key and a demo OAuth client) never reaches a
/// deployed node: not in the API's published output, which its image copies, nor in the images'
/// build context.
/// </summary>
public sealed class PublishedOutputTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"registry-publish-{Guid.NewGuid():N}");

    [Fact]
    public async Task ApiPublish_LeavesOutTheDevelopmentSettings()
    {
        var project = Path.Combine(RepoPaths.Root, "src", "Api", "Revocation.Api", "Revocation.Api.csproj");
        await using var publish = OwnedProcess.StartProgram("dotnet",
            ["publish", project, "-c", RepoPaths.Configuration, "--no-build", "-nologo", "-v", "q", "-o", _output], RepoPaths.Root);

        Assert.True(await publish.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, publish.Output);
        Assert.True(File.Exists(Path.Combine(_output, "Revocation.Api.dll")), publish.Output);
        Assert.True(File.Exists(Path.Combine(_output, "appsettings.json")));
        Assert.Empty(Directory.GetFiles(_output, "appsettings.Development.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void ImageBuildContext_LeavesOutTheDevelopmentSettings()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore")).Select(line => line.Trim());

        Assert.Contains("**/appsettings.Development.json", ignored);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
