using Revocation.Silo.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.GrainDirectory;
using Revocation.Silo.Hosting;

namespace Revocation.IntegrationTests.Membership;

/// <summary>Which grain directory a silo runs, read back from a running silo wired like the executable.</summary>
public sealed class GrainDirectoryWiringTests
{
    [Fact]
    public async Task Default_IsTheDistributedDirectory_WithoutRangeLeaseHolds()
    {
        await using var silos = await TestSilos.StartAsync(1, "dirwiring");
        var services = silos.SiloServices(0);

        Assert.Equal("DistributedGrainDirectory", services.GetKeyedService<IGrainDirectory>("default")?.GetType().Name);
        Assert.Equal(TimeSpan.Zero, services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.RangeLeaseDuration);
    }

    [Fact]
    public async Task Local_LeavesOrleansDefaultDirectory_AndTheRangeLeaseIsASetting()
    {
        await using var silos = await TestSilos.StartAsync(1, "dirwiring", settings: new Dictionary<string, string?>
        {
            ["Cluster:GrainDirectory"] = nameof(GrainDirectoryKind.Local),
            ["GrainDirectory:RangeLeaseDuration"] = "00:00:30",
        });
        var services = silos.SiloServices(0);

        Assert.Null(services.GetKeyedService<IGrainDirectory>("default"));
        Assert.Equal(TimeSpan.FromSeconds(30), services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.RangeLeaseDuration);
    }

    [Fact]
    public async Task NegativeRangeLease_StopsTheSiloNamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestSilos.StartAsync(1, "dirwiring", settings: new Dictionary<string, string?>
        {
            ["GrainDirectory:RangeLeaseDuration"] = "-00:00:01",
        }));

        Assert.Contains("GrainDirectory:RangeLeaseDuration must be zero (no hold) or positive", failure.Message);
    }
}
