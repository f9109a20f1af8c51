using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Revocation.Api.Authentication;
using Revocation.Api.SharedSignals;

namespace Revocation.UnitTests.SharedSignals;

/// <summary>A transmitter that could never be verified or acted on is refused at start, naming the setting.</summary>
public sealed class SharedSignalsOptionsTests : IDisposable
{
    private readonly TestSets _sets = new();

    private static readonly JwtOptions Jwt = new() { Issuer = "https://idp.example", Audience = "api", SigningKey = Convert.ToBase64String(new byte[32]) };

    private static string? Failure(params (string Key, string Value)[] settings)
    {
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build().GetSection(SharedSignalsOptions.SectionName).Get<SharedSignalsOptions>() ?? new SharedSignalsOptions();
        return new SharedSignalsOptionsValidator(Options.Create(Jwt)).Validate(null, options).FailureMessage;
    }

    private (string, string)[] Valid(params (string Key, string Value)[] more) =>
    [
        ("SharedSignals:Transmitters:0:Issuer", "https://idp.example"),
        ("SharedSignals:Transmitters:0:Audience", "https://registry.example"),
        ("SharedSignals:Transmitters:0:PublicKeys:0", _sets.PublicPem),
        .. more,
    ];

    [Fact]
    public void TransmitterThatIsTheTokenIssuer_IsValid() => Assert.Null(Failure(Valid()));

    [Fact]
    public void NoTransmitter_IsValid() => Assert.Null(Failure());

    [Theory]
    [InlineData("Issuer", "SharedSignals:Transmitters:0:Issuer is required")]
    [InlineData("Audience", "SharedSignals:Transmitters:0:Audience is required")]
    [InlineData("PublicKeys:0", "exactly one source of keys")]
    public void MissingSetting_IsNamed(string setting, string message)
    {
        var settings = Valid().Where(s => s.Item1 != $"SharedSignals:Transmitters:0:{setting}").ToArray();

        Assert.Contains(message, Failure(settings));
    }

    [Fact]
    public void TwoSourcesOfKeys_AreRefused() =>
        Assert.Contains("exactly one source of keys", Failure(Valid(("SharedSignals:Transmitters:0:JwksUri", "https://idp.example/jwks"))));

    [Fact]
    public void KeyThatIsNotPem_IsNamed() =>
        Assert.Contains("PublicKeys:1 is not a PEM", Failure(Valid(("SharedSignals:Transmitters:0:PublicKeys:1", "not a key"))));

    [Fact]
    public void ConfigurationUrlThatIsNotHttp_IsNamed() => Assert.Contains(
        "ConfigurationUrl must be an absolute http(s) URL",
        Failure(("SharedSignals:Transmitters:0:Issuer", "https://idp.example"), ("SharedSignals:Transmitters:0:Audience", "a"), ("SharedSignals:Transmitters:0:ConfigurationUrl", "ftp://x")));

    [Fact]
    public void TransmitterSpeakingForAnUntrustedIssuer_IsRefused()
    {
        var failure = Failure(Valid(("SharedSignals:Transmitters:0:SubjectIssuer", "https://unknown-idp.example")));

        Assert.Contains("SubjectIssuer 'https://unknown-idp.example' is not a trusted token issuer", failure);
    }

    [Fact]
    public void SeparateTransmitterWithoutSubjectIssuer_IsToldToNameOne()
    {
        var failure = Failure(
            ("SharedSignals:Transmitters:0:Issuer", "https://risk-engine.example"), ("SharedSignals:Transmitters:0:Audience", "a"),
            ("SharedSignals:Transmitters:0:PublicKeys:0", _sets.PublicPem));

        Assert.Contains("SubjectIssuer is not set", failure);
    }

    [Fact]
    public void SameTransmitterTwice_IsRefused() => Assert.Contains("repeats", Failure(Valid(
        ("SharedSignals:Transmitters:1:Issuer", "https://idp.example"), ("SharedSignals:Transmitters:1:Audience", "a"),
        ("SharedSignals:Transmitters:1:PublicKeys:0", _sets.PublicPem))));

    [Theory]
    [InlineData("MaxEventAge", "00:00:10")]
    [InlineData("MaxNotBeforeAge", "00:20:00")]
    [InlineData("ClockSkew", "01:00:00")]
    [InlineData("MaxSetBytes", "10")]
    public void LimitOutOfRange_IsNamed(string setting, string value) =>
        Assert.Contains($"SharedSignals:{setting} must be between", Failure(Valid(($"SharedSignals:{setting}", value))));

    public void Dispose() => _sets.Dispose();
}
