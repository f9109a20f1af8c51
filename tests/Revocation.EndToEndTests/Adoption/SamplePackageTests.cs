using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Revocation.Abstractions;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Adoption;

/// <summary>
/// The adoption path end to end: the packages as packed, and the sample API that consumes them
/// (its own JwtBearer, its own Orleans client, one added line) against real silos.
/// </summary>
public sealed class SamplePackageTests(PackedSample sample) : IClassFixture<PackedSample>
{
    /// <summary>Packages an API node must never pull in: grain code and the Orleans server.</summary>
    private static readonly string[] ServerSide =
        ["Revocation.Grains", "Revocation.Silo", "Revocation.Api", "Microsoft.Orleans.Server", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Reminders"];

    [Theory]
    [InlineData("Revocation.AspNetCore")]
    [InlineData("Revocation.Abstractions")]
    public void Package_CarriesMetadataReadmeAndNoServerSideDependency(string id)
    {
        using var package = ZipFile.OpenRead(PackedSample.PackagePath(id));
        var nuspec = ReadNuspec(package, id);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;

        Assert.Equal(PackedSample.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.Contains("revocation", metadata.Element(ns + "tags")!.Value, StringComparison.Ordinal);
        Assert.NotNull(metadata.Element(ns + "repository")?.Attribute("url"));
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Contains(package.Entries, e => e.FullName == "README.md" && e.Length > 500);
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");

        var dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToList();
        Assert.NotEmpty(dependencies);
        Assert.DoesNotContain(dependencies, d => ServerSide.Contains(d, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void CheckPackage_DependsOnTheContractsOfTheSameVersion()
    {
        using var package = ZipFile.OpenRead(PackedSample.PackagePath("Revocation.AspNetCore"));
        var nuspec = ReadNuspec(package, "Revocation.AspNetCore");
        var contracts = nuspec.Descendants(nuspec.Root!.Name.Namespace + "dependency")
            .Single(d => d.Attribute("id")!.Value == "Revocation.Abstractions");
        Assert.Equal(PackedSample.Version, contracts.Attribute("version")!.Value);
    }

    [Fact]
    public void Sample_RestoresTheCheckAsAPackage_NotAProject()
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(PackedSample.AssetsFile));
        var libraries = assets.RootElement.GetProperty("libraries");
        foreach (var id in new[] { "Revocation.AspNetCore", "Revocation.Abstractions" })
        {
            Assert.Equal("package", libraries.GetProperty($"{id}/{PackedSample.Version}").GetProperty("type").GetString());
        }

        Assert.Equal(
            Path.TrimEndingDirectorySeparator(sample.PackagesFolder),
            Path.TrimEndingDirectorySeparator(assets.RootElement.GetProperty("project").GetProperty("restore").GetProperty("packagesPath").GetString()!));
    }

    [Fact]
    public async Task Sample_AcceptsToken_RejectsItOnceRevokedThroughTheRegistry()
    {
        using var tokens = new TestTokens();
        await using var silos = await TestSilos.StartAsync(1, "sample");
        var port = TestPorts.Free();
        var environment = new Dictionary<string, string>
        {
            ["Auth__Issuer"] = TestTokens.Issuer,
            ["Auth__Audience"] = TestTokens.Audience,
            ["Auth__SigningKey"] = tokens.HmacKeyBase64,
            ["Registry__Gateways__0"] = $"127.0.0.1:{silos.GatewayPorts[0].ToString(CultureInfo.InvariantCulture)}",
            ["Orleans__ClusterId"] = silos.ClusterId,
            ["Orleans__ServiceId"] = TestSilos.ServiceId,
        }.WithClusterTls(TestCertificates.ClientSettings); // the silos take only clients with a certificate of their CA

        await using var api = OwnedProcess.Start(sample.SampleDll, ["--urls", $"http://127.0.0.1:{port}"], environment);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var loggedOut = tokens.Mint(sub: "sample-user");
        var other = tokens.Mint(sub: "sample-user");

        Assert.Equal(HttpStatusCode.OK, await FirstAnswerAsync(http, loggedOut, api));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, null));

        // Logged out through the registry: the token grain, as the registry's logout endpoint does.
        await silos.Grains.GetTokenGrain(TestTokens.Issuer, TestTokens.JtiOf(loggedOut)).RevokeAsync(DateTimeOffset.UtcNow.AddMinutes(16), "logout");

        using var refused = await http.SendAsync(ApiNode.Get("/orders", loggedOut));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("The token has been revoked", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, other));
    }

    private static XDocument ReadNuspec(ZipArchive package, string id)
    {
        using var stream = package.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(stream);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string? token)
    {
        using var response = await http.SendAsync(ApiNode.Get("/orders", token));
        return response.StatusCode;
    }

    /// <summary>
    /// The first answer once the sample's Orleans client is connected: it listens at once and, until
    /// then, fails closed (503) like any node whose registry is not reachable yet.
    /// </summary>
    private static async Task<HttpStatusCode> FirstAnswerAsync(HttpClient http, string token, OwnedProcess api)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var status = await StatusAsync(http, token);
                if (status != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow >= deadline)
                {
                    return status;
                }
            }
            catch (HttpRequestException e) when (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The sample did not answer within 60 s. Output:{Environment.NewLine}{api.Output}", e);
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }
    }
}
