using Microsoft.Extensions.Configuration;
using Revocation.Api.Authentication;
using Revocation.Api.Oidc;

namespace Revocation.UnitTests.Oidc;

/// <summary>The receiver's settings: a client id per issuer (the section's own and each of <c>Jwt:Issuers</c>), the age limit; faults named at start.</summary>
public sealed class BackchannelLogoutOptionsTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    [Fact]
    public void ClientIds_ArePerIssuer_TheSectionsOwnAndEachListed()
    {
        var jwt = Bind<JwtOptions>(JwtOptions.SectionName,
            ("Jwt:Issuer", "https://a.example"), ("Jwt:Audience", "api"), ("Jwt:SigningKey", Key), ("Jwt:BackchannelLogout:ClientId", "web-a"),
            ("Jwt:Issuers:0:Issuer", "https://b.example"), ("Jwt:Issuers:0:SigningKey", Key),
            ("Jwt:Issuers:1:Issuer", "https://c.example"), ("Jwt:Issuers:1:SigningKey", Key), ("Jwt:Issuers:1:BackchannelLogout:ClientId", "web-c"));

        Assert.True(new JwtOptionsValidator().Validate(null, jwt).Succeeded);
        Assert.Equal(["web-a", null, "web-c"], jwt.TrustedIssuers().Select(t => t.Issuer.BackchannelLogout.ClientId));
    }

    [Fact]
    public void BlankClientId_StopsTheStart_NamingTheSetting()
    {
        var jwt = Bind<JwtOptions>(JwtOptions.SectionName,
            ("Jwt:Audience", "api"), ("Jwt:Issuers:0:Issuer", "https://b.example"), ("Jwt:Issuers:0:SigningKey", Key),
            ("Jwt:Issuers:0:BackchannelLogout:ClientId", " "));

        Assert.Contains("Jwt:Issuers:0:BackchannelLogout:ClientId is blank", new JwtOptionsValidator().Validate(null, jwt).FailureMessage);
    }

    [Theory]
    [InlineData("00:00:09")]
    [InlineData("00:10:01")]
    public void MaxTokenAge_OutOfRange_StopsTheStart_NamingTheSetting(string value)
    {
        var options = Bind<BackchannelLogoutOptions>(BackchannelLogoutOptions.SectionName, ("BackchannelLogout:MaxTokenAge", value));

        Assert.Contains("BackchannelLogout:MaxTokenAge must be between", new BackchannelLogoutOptionsValidator().Validate(null, options).FailureMessage);
    }

    [Fact]
    public void MaxTokenAge_DefaultsToFiveMinutes_AndPasses()
    {
        var options = new BackchannelLogoutOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxTokenAge);
        Assert.True(new BackchannelLogoutOptionsValidator().Validate(null, options).Succeeded);
    }

    private static T Bind<T>(string section, params (string Key, string Value)[] settings)
        where T : new() =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build()
            .GetSection(section).Get<T>() ?? new T();
}
