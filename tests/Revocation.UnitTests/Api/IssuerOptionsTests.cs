using Microsoft.Extensions.Hosting.Internal;
using Revocation.Api.Issuing;

namespace Revocation.UnitTests.Api;

/// <summary>Promise 10: nothing mints tokens outside Development.</summary>
public sealed class IssuerOptionsTests
{
    private static IssuerOptionsValidator Validator(string environment) => new(Environment(environment));

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void EnabledOutsideDevelopment_IsRefusedNamingTheSettingAndTheEnvironment(string environment)
    {
        var result = Validator(environment).Validate(null, new IssuerOptions { Enabled = true });

        Assert.True(result.Failed);
        Assert.Contains("Issuer:Enabled=true is refused outside the Development environment", result.FailureMessage);
        Assert.Contains($"(environment: {environment})", result.FailureMessage);
    }

    [Theory]
    [InlineData("Development", true, true)]
    [InlineData("Development", null, true)]
    [InlineData("Development", false, false)]
    [InlineData("Production", null, false)]
    [InlineData("Production", false, false)]
    public void AcceptedSettings_TurnTheIssuerOnInDevelopmentOnly(string environment, bool? enabled, bool on)
    {
        var options = new IssuerOptions { Enabled = enabled };

        Assert.True(Validator(environment).Validate(null, options).Succeeded);
        Assert.Equal(on, options.IsOn(Environment(environment)));
    }

    [Theory]
    [InlineData("00:00:00", "1.00:00:00", "Issuer:DefaultLifetime must be positive and at most Issuer:MaxLifetime")]
    [InlineData("2.00:00:00", "1.00:00:00", "Issuer:DefaultLifetime must be positive and at most Issuer:MaxLifetime")]
    [InlineData("00:15:00", "-00:00:01", "Issuer:MaxLifetime must be positive")]
    public void LifetimesOutOfOrder_AreRefusedNamingTheSetting(string defaultLifetime, string maxLifetime, string message)
    {
        var result = Validator("Development").Validate(null,
            new IssuerOptions { DefaultLifetime = TimeSpan.Parse(defaultLifetime), MaxLifetime = TimeSpan.Parse(maxLifetime) });

        Assert.Contains(message, result.FailureMessage);
    }

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };
}
