using Microsoft.Extensions.Configuration;
using Revocation.Api.Authentication;

namespace Revocation.UnitTests.Issuers;

/// <summary>
/// The trusted issuers of <c>Jwt</c>: the single-issuer settings of before stay one issuer (the
/// first), <c>Jwt:Issuers:N</c> adds more, and each fault is refused at start naming its setting.
/// </summary>
public sealed class JwtIssuersOptionsTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    private static JwtOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        return configuration.GetSection(JwtOptions.SectionName).Get<JwtOptions>() ?? new JwtOptions();
    }

    private static string? Failure(JwtOptions options) => new JwtOptionsValidator().Validate(null, options).FailureMessage;

    [Fact]
    public void SingleIssuerSettingsOfBefore_AreOneTrustedIssuer()
    {
        var options = Bind(("Jwt:Issuer", "https://idp.example"), ("Jwt:Audience", "api"), ("Jwt:SigningKey", Key));

        Assert.Null(Failure(options));
        var (setting, issuer) = Assert.Single(options.TrustedIssuers());
        Assert.Equal("Jwt", setting);
        Assert.Equal(("https://idp.example", "api", Key), (issuer.Issuer, issuer.Audience, issuer.SigningKey));
    }

    [Fact]
    public void IssuersList_AddsIssuers_TakingTheSharedAudienceAndTypeRuleWhereTheyNameNone()
    {
        var options = Bind(
            ("Jwt:Issuer", "https://a.example"), ("Jwt:Audience", "api"), ("Jwt:SigningKey", Key), ("Jwt:RequireAccessTokenType", "true"),
            ("Jwt:Issuers:0:Issuer", "https://b.example"), ("Jwt:Issuers:0:Authority", "https://b.example"),
            ("Jwt:Issuers:1:Issuer", "https://c.example"), ("Jwt:Issuers:1:Audience", "other-api"), ("Jwt:Issuers:1:SigningKey", Key),
            ("Jwt:Issuers:1:RequireAccessTokenType", "false"));

        Assert.Null(Failure(options));
        var trusted = options.TrustedIssuers();
        Assert.Equal(["Jwt", "Jwt:Issuers:0", "Jwt:Issuers:1"], trusted.Select(t => t.Setting));
        Assert.Equal(["api", "api", "other-api"], trusted.Select(t => t.Issuer.Audience));
        Assert.Equal([true, true, false], trusted.Select(t => t.Issuer.RequireAccessTokenType));
    }

    [Fact]
    public void IssuersListAlone_IsEnough()
    {
        var options = Bind(("Jwt:Audience", "api"), ("Jwt:Issuers:0:Issuer", "https://b.example"), ("Jwt:Issuers:0:SigningKey", Key));

        Assert.Null(Failure(options));
        Assert.Equal("Jwt:Issuers:0", Assert.Single(options.TrustedIssuers()).Setting);
    }

    [Theory]
    [InlineData("Jwt:Issuers:0:Issuer is not set", "Jwt:Issuers:0:SigningKey")]
    [InlineData("No token validation key: set Jwt:Issuers:0:SigningKey, Jwt:Issuers:0:PublicKeys or Jwt:Issuers:0:Authority", "Jwt:Issuers:0:Issuer")]
    public void IssuerEntryMissingASetting_IsRefusedNamingIt(string message, string onlySetting)
    {
        var options = Bind(("Jwt:Issuer", "https://a.example"), ("Jwt:Audience", "api"), ("Jwt:SigningKey", Key),
            (onlySetting, onlySetting.EndsWith("Issuer", StringComparison.Ordinal) ? "https://b.example" : Key));

        Assert.Contains(message, Failure(options));
    }

    [Fact]
    public void EntryWithoutAudience_WhenNoneIsShared_IsRefusedNamingIt()
    {
        var options = Bind(("Jwt:Issuers:0:Issuer", "https://b.example"), ("Jwt:Issuers:0:SigningKey", Key));

        Assert.Contains("Jwt:Issuers:0:Audience is not set", Failure(options));
    }

    [Fact]
    public void SameIssuerTwice_IsRefusedNamingBothSettings()
    {
        var options = Bind(("Jwt:Issuer", "https://a.example"), ("Jwt:Audience", "api"), ("Jwt:SigningKey", Key),
            ("Jwt:Issuers:0:Issuer", "https://a.example"), ("Jwt:Issuers:0:SigningKey", Key));

        Assert.Contains("Jwt:Issuers:0:Issuer repeats Jwt:Issuer", Failure(options));
    }

    [Theory]
    [InlineData("Jwt:Issuers:0:SigningKey", "c2hvcnQ=", "Jwt:Issuers:0:SigningKey must be at least 32 bytes")]
    [InlineData("Jwt:Issuers:0:PublicKeys:0", "not a key", "Jwt:Issuers:0:PublicKeys:0 is not a PEM-encoded RSA or EC public key")]
    [InlineData("Jwt:Issuers:0:Authority", "idp.example", "Jwt:Issuers:0:Authority is not an absolute URL")]
    public void BadKeySource_IsRefusedNamingItsSetting(string setting, string value, string message)
    {
        var options = Bind(("Jwt:Audience", "api"), ("Jwt:Issuers:0:Issuer", "https://b.example"), (setting, value));

        Assert.Contains(message, Failure(options));
    }

    [Fact]
    public void IssuerThatCannotKeyRevocations_IsRefused()
    {
        var options = Bind(("Jwt:Issuer", new string('i', 257)), ("Jwt:Audience", "api"), ("Jwt:SigningKey", Key));

        Assert.Contains("Jwt:Issuer cannot key revocations: iss must be at most 256 characters", Failure(options));
    }

    [Fact]
    public void NothingConfigured_NamesTheSingleIssuerSettings()
    {
        var failure = Failure(Bind());

        Assert.Contains("Jwt:Issuer is not set", failure);
        Assert.Contains("Jwt:Audience is not set", failure);
        Assert.Contains("No token validation key: set Jwt:SigningKey, Jwt:PublicKeys or Jwt:Authority", failure);
    }
}
