using Revocation.Silo.Clustering;
using Revocation.Silo.Hosting;
using Revocation.Silo.Rejuvenation;

namespace Revocation.UnitTests.Rejuvenation;

public sealed class RejuvenationOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndOff()
    {
        var options = new RejuvenationOptions();

        Assert.True(new RejuvenationOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.Enabled);
        Assert.Equal(1, options.MaxConcurrent);
        Assert.Equal(1, options.MinSilos);
    }

    [Fact]
    public void MemoryLimitAlone_SwitchesItOn()
    {
        Assert.True(new RejuvenationOptions { MemoryLimit = "1GiB" }.Enabled);
        Assert.True(new RejuvenationOptions { MaxLifetime = TimeSpan.FromHours(12) }.Enabled);
    }

    public static TheoryData<Action<RejuvenationOptions>, string> BadSettings => new()
    {
        { o => o.MaxLifetime = TimeSpan.FromSeconds(5), "Rejuvenation:MaxLifetime must be at least 00:00:10" },
        { o => o.Jitter = 0.95, "Rejuvenation:Jitter must be a fraction between 0 and 0.9" },
        { o => o.Jitter = -0.1, "Rejuvenation:Jitter must be a fraction between 0 and 0.9" },
        { o => o.Jitter = double.NaN, "Rejuvenation:Jitter must be a fraction between 0 and 0.9" },
        { o => o.MemoryLimit = "lots", "Rejuvenation:MemoryLimit must be a positive number of bytes" },
        { o => o.MemoryLimit = "0MiB", "Rejuvenation:MemoryLimit must be a positive number of bytes" },
        { o => o.MemoryMinUptime = TimeSpan.FromSeconds(-1), "Rejuvenation:MemoryMinUptime must not be negative" },
        { o => o.MaxConcurrent = 0, "Rejuvenation:MaxConcurrent must be at least 1" },
        { o => o.MinSilos = -1, "Rejuvenation:MinSilos must not be negative" },
        { o => o.TurnTimeout = TimeSpan.FromSeconds(1), "Rejuvenation:TurnTimeout must be at least 00:00:05" },
        { o => o.CheckPeriod = TimeSpan.Zero, "Rejuvenation:CheckPeriod must be between" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSetting_IsRefusedNamingIt(Action<RejuvenationOptions> change, string message)
    {
        var options = new RejuvenationOptions();
        change(options);

        var result = new RejuvenationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
    }

    [Fact]
    public void RecyclingWithLocalhostClustering_IsRefusedNamingTheProvider()
    {
        var options = new RejuvenationOptions { MaxLifetime = TimeSpan.FromHours(12) };

        var result = new RejuvenationOptionsValidator(ClusterProvider.Localhost).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("need Cluster:Provider=AdoNet", result.FailureMessage);
        Assert.True(new RejuvenationOptionsValidator(ClusterProvider.Localhost).Validate(null, new RejuvenationOptions()).Succeeded);
        Assert.True(new RejuvenationOptionsValidator(ClusterProvider.AdoNet).Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("805306368", 805_306_368L)]
    [InlineData("768MiB", 768L << 20)]
    [InlineData("2 GiB", 2L << 30)]
    [InlineData("800mb", 800_000_000L)]
    [InlineData("512KiB", 512L << 10)]
    public void MemoryLimit_IsReadWithItsUnit(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5MiB")]
    [InlineData("1.5GiB")]
    [InlineData("99999999999999GiB")]
    public void MemoryLimit_OddTextIsNotASize(string text) => Assert.False(ByteSize.TryParse(text, out _));
}
