using Revocation.Silo.Clustering;
using Revocation.Silo.Hosting;

namespace Revocation.UnitTests.Settings;

public sealed class ClusterOptionsValidationTests
{
    private static string Failures(RegistryClusterOptions options) =>
        new RegistryClusterOptionsValidator().Validate(null, options).FailureMessage ?? "";

    [Fact]
    public void Defaults_AreValid_AndUseTheMembershipTable()
    {
        var options = new RegistryClusterOptions();

        Assert.True(new RegistryClusterOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(ClusterProvider.AdoNet, options.Provider);
        Assert.Equal(GrainDirectoryKind.Distributed, options.GrainDirectory);
    }

    [Fact]
    public void UnknownGrainDirectory_IsNamed() =>
        Assert.Contains("Cluster:GrainDirectory must be Distributed or Local (was 7)",
            Failures(new RegistryClusterOptions { GrainDirectory = (GrainDirectoryKind)7 }));

    [Fact]
    public void RangeLease_DefaultsToNoHold_AndANegativeOneIsNamed()
    {
        var directory = new Orleans.Configuration.GrainDirectoryOptions();
        FailureDetection.Apply(directory);
        var validator = new GrainDirectoryOptionsValidator();

        Assert.Equal(TimeSpan.Zero, directory.RangeLeaseDuration);
        Assert.True(validator.Validate(null, directory).Succeeded);
        Assert.True(validator.Validate(null, new Orleans.Configuration.GrainDirectoryOptions { RangeLeaseDuration = TimeSpan.FromSeconds(30) }).Succeeded);
        Assert.Contains("GrainDirectory:RangeLeaseDuration must be zero (no hold) or positive (was -00:00:01)",
            validator.Validate(null, new Orleans.Configuration.GrainDirectoryOptions { RangeLeaseDuration = TimeSpan.FromSeconds(-1) }).FailureMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.1.2.3")]
    [InlineData("silo-1.internal")]
    public void AdvertisedAddress_UnsetEmptyIpOrHostName_IsAccepted(string? address) =>
        Assert.Equal("", Failures(new RegistryClusterOptions { AdvertisedAddress = address }));

    [Fact]
    public void AdvertisedAddress_Garbage_IsNamed() =>
        Assert.Contains("Cluster:AdvertisedAddress must be an IP address or a host name (was 'not an address')",
            Failures(new RegistryClusterOptions { AdvertisedAddress = "not an address" }));

    [Fact]
    public void Localhost_WithANonLoopbackAddress_IsRefused() =>
        Assert.Contains("Cluster:AdvertisedAddress must be a loopback address",
            Failures(new RegistryClusterOptions { Provider = ClusterProvider.Localhost, AdvertisedAddress = "10.1.2.3" }));

    [Fact]
    public void PrimarySiloPort_WithAdoNet_IsRefused() =>
        Assert.Contains("Cluster:PrimarySiloPort applies only to Cluster:Provider=Localhost",
            Failures(new RegistryClusterOptions { PrimarySiloPort = 11111 }));

    [Theory]
    [InlineData(0, 30000, "Cluster:SiloPort must be between 1 and 65535 (was 0)")]
    [InlineData(11111, 65536, "Cluster:GatewayPort must be between 1 and 65535 (was 65536)")]
    [InlineData(11111, 11111, "Cluster:SiloPort and Cluster:GatewayPort must differ")]
    public void BadPorts_AreNamed(int siloPort, int gatewayPort, string expected) =>
        Assert.Contains(expected, Failures(new RegistryClusterOptions { SiloPort = siloPort, GatewayPort = gatewayPort }));

    [Fact]
    public void EmptyClusterId_IsNamed() =>
        Assert.Contains("Orleans:ClusterId must be 1 to 150 characters", Failures(new RegistryClusterOptions { ClusterId = " " }));
}
