using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Revocation.Api.Hosting;
using Revocation.Hosting;

namespace Revocation.UnitTests.Api;

/// <summary>The API node's own timeouts of registry calls (<c>Registry:CallTimeout</c>, <c>Registry:SweepTimeout</c>), checked at start.</summary>
public sealed class RegistryClientOptionsTests
{
    private static readonly RegistryClientOptionsValidator Validator = new();

    [Fact]
    public void Defaults_AreValid() => Assert.True(Validator.Validate(null, new RegistryClientOptions()).Succeeded);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void CallTimeout_NotPositive_IsRefusedNamingTheSettingAndValue(string value)
    {
        var result = Validator.Validate(null, new RegistryClientOptions { CallTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains($"Registry:CallTimeout must be positive (was {value})", result.FailureMessage);
    }

    [Fact]
    public void SweepTimeout_LongerThanTheSweepersOwnCall_IsRefusedNamingTheLimit()
    {
        var tooLong = RegistryClientOptions.MaxSweepTimeout + TimeSpan.FromSeconds(1);

        var result = Validator.Validate(null, new RegistryClientOptions { SweepTimeout = tooLong });

        Assert.True(result.Failed);
        Assert.Contains($"Registry:SweepTimeout must be positive and at most {RegistryClientOptions.MaxSweepTimeout} (was {tooLong})", result.FailureMessage);
    }

    [Fact]
    public void BothWrong_BothAreNamed()
    {
        var result = Validator.Validate(null, new RegistryClientOptions { CallTimeout = TimeSpan.Zero, SweepTimeout = TimeSpan.Zero });

        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public async Task AWrongValueInTheSection_StopsTheHostsStart_WithTheValidatorsMessage()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Registry:CallTimeout"] = "00:00:00" });
        var section = builder.Configuration.GetSection(RegistryClientOptions.SectionName);

        // Registered twice (two features wanting the same section): validated once.
        builder.Services.AddValidatedOptions<RegistryClientOptions, RegistryClientOptionsValidator>(section);
        builder.Services.AddValidatedOptions<RegistryClientOptions, RegistryClientOptionsValidator>(section);
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal(["Registry:CallTimeout must be positive (was 00:00:00)."], refused.Failures);
    }
}
