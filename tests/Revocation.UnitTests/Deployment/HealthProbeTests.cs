using Revocation.Silo.Clustering;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Revocation.Hosting;

namespace Revocation.UnitTests.Deployment;

/// <summary>
/// The images' health check without curl: <c>dotnet Revocation.X.dll health [url]</c> exits 0 on a
/// 2xx answer and 1 otherwise, in both executables.
/// </summary>
public sealed class HealthProbeTests : IAsyncLifetime
{
    private readonly int _port = TestPorts.Free();
    private WebApplication? _server;

    private string Url(string path) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_port}{path}");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url(""));
        _server = builder.Build();
        _server.MapGet("/health/ready", () => Results.Ok());
        _server.MapGet("/health/down", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await _server.StartAsync();

        // The probe gives up after 2 s; a cold server (and a cold HTTP stack in this process) on a
        // busy machine can take longer to answer its first request than the probe waits.
        using var warm = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        (await warm.GetAsync(Url("/health/ready"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public static TheoryData<string> Executables => new() { "silo", "api" };

    [Theory]
    [MemberData(nameof(Executables))]
    public async Task HealthMode_ExitsZeroOnlyWhenTheEndpointAnswers2xx(string executable)
    {
        var entry = (executable == "silo" ? typeof(Silo.Clustering.RegistryClusterOptions) : typeof(Program)).Assembly.EntryPoint!;
        int Run(params string[] args) => (int)entry.Invoke(null, [args])!;

        Assert.Equal(0, await Task.Run(() => Run(HealthProbe.Command, Url("/health/ready"))));
        Assert.Equal(1, await Task.Run(() => Run(HealthProbe.Command, Url("/health/down"))));
        Assert.Equal(1, await Task.Run(() => Run(HealthProbe.Command, $"http://127.0.0.1:{TestPorts.Free()}/health/ready")));
        Assert.Equal(1, await Task.Run(() => Run(HealthProbe.Command, "not-a-url")));
    }
}
