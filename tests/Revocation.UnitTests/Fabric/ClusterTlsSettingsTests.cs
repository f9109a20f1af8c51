using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.Fabric;

/// <summary>
/// The <c>ClusterTls</c> settings as a registry client checks them on start (the silo runs the same
/// code): required outside Development unless plain TCP is explicitly allowed; complete, readable,
/// and not both at once; every error naming the setting.
/// </summary>
public sealed class ClusterTlsSettingsTests
{
    [Fact]
    public void OutsideDevelopment_WithoutCertificates_FailsNamingTheSettingsAndTheWayOut()
    {
        var error = Validate("Production", []);

        Assert.Contains("ClusterTls:CertificatePath, ClusterTls:KeyPath and ClusterTls:CaPath are required outside Development (environment: Production)", error);
        Assert.Contains("ClusterTls:AllowUnauthenticatedClusterAccess=true", error);
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "true")]
    public void WithoutCertificates_PassesInDevelopmentOrWhenPlainTcpIsAllowed(string environment, string? allow)
    {
        Assert.Null(Validate(environment, new() { ["ClusterTls:AllowUnauthenticatedClusterAccess"] = allow }));
    }

    [Fact]
    public void TheClustersCertificates_Pass()
    {
        Assert.Null(Validate("Production", new(TestCertificates.ClientSettings)));
    }

    [Fact]
    public void ACertificateWithoutItsKeyAndCa_FailsNamingTheMissingSetting()
    {
        var error = Validate("Production", new() { ["ClusterTls:CertificatePath"] = TestCertificates.ClientSettings["ClusterTls:CertificatePath"] });

        Assert.Contains("ClusterTls:KeyPath is required with the other ClusterTls certificate settings", error);
    }

    [Fact]
    public void AMissingFile_FailsNamingTheSettingAndThePath()
    {
        var error = Validate("Production", new(TestCertificates.ClientSettings) { ["ClusterTls:CaPath"] = "/nonexistent/ca.crt" });

        Assert.Contains("ClusterTls:CaPath: no file at '/nonexistent/ca.crt'", error);
    }

    [Fact]
    public void AFileThatIsNoPemCertificate_FailsSayingWhatEachSettingMustHold()
    {
        var notPem = Path.GetTempFileName();
        File.WriteAllText(notPem, "not a certificate");
        try
        {
            var error = Validate("Production", new(TestCertificates.ClientSettings) { ["ClusterTls:CertificatePath"] = notPem });

            Assert.Contains("ClusterTls: the certificate, key or CA could not be used", error);
            Assert.Contains("ClusterTls:CaPath a PEM CA certificate", error);
        }
        finally
        {
            File.Delete(notPem);
        }
    }

    [Fact]
    public void PlainTcpAllowedNextToCertificates_FailsAskingToRemoveOne()
    {
        var error = Validate("Production", new(TestCertificates.ClientSettings) { ["ClusterTls:AllowUnauthenticatedClusterAccess"] = "true" });

        Assert.Contains("ClusterTls:AllowUnauthenticatedClusterAccess=true and certificate settings are both given", error);
    }

    /// <summary>The start-time validation of a client host with <c>UseRegistryTls</c>: its failure message, or <c>null</c>.</summary>
    private static string? Validate(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(client => client.UseLocalhostClustering().UseRegistryTls());
        using var host = builder.Build();
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
    }
}
