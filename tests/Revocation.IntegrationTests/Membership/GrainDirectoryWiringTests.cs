using System.Reflection;
using Revocation.Silo.Clustering;
using Microsoft.Extensions.Time.Testing;
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

    /// <summary>
    /// A test silo on a clock that stands still: the directory takes Orleans' default clock, and its
    /// retry delays and lease holds must not wait for a test to move it (a silo start hung on that
    /// now and then); grain-facing time and the registry's own code read the test's clock.
    /// </summary>
    [Fact]
    public async Task OnAStandingTestClock_TheDirectoryRunsOnRealTime_GrainsOnTheTestClock()
    {
        var clock = new FakeTimeProvider(TestClock.Create().GetUtcNow());
        await using var silos = await TestSilos.StartAsync(1, "dirwiring", clock: clock);
        var services = silos.SiloServices(0);
        var directory = services.GetRequiredKeyedService<IGrainDirectory>("default");

        var directoryClocks = directory.GetType()
            .GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(field => field.FieldType == typeof(TimeProvider))
            .Select(field => field.GetValue(directory))
            .ToList();
        Assert.NotEmpty(directoryClocks);
        Assert.All(directoryClocks, directoryClock => Assert.Same(TimeProvider.System, directoryClock));
        Assert.Same(clock, services.GetRequiredService<TimeProvider>());
        Assert.Same(clock, services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Grains));
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
