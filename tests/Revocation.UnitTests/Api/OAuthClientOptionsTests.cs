using System.Net;
using Microsoft.Extensions.Configuration;
using Revocation.Api.OAuth;

namespace Revocation.UnitTests.Api;

/// <summary>OAuth clients and limits are checked at start, each failure naming its setting.</summary>
public sealed class OAuthClientOptionsTests
{
    // What `openssl rand -base64 32` and `openssl rand -hex 32` print.
    private const string Base64Secret = "q3Vd0m6tG8s1Zb9xR2yPcLwJfE4nHkU7aT5iO+oN/Ms=";
    private const string HexSecret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static OAuthClientOptions Clients(params (string Id, string Secret)[] clients) =>
        new() { Clients = [.. clients.Select(c => new OAuthClient { ClientId = c.Id, ClientSecret = c.Secret })] };

    private static string? Failure(OAuthClientOptions options) => new OAuthClientOptionsValidator().Validate(null, options).FailureMessage;

    [Theory]
    [InlineData(Base64Secret)]
    [InlineData(HexSecret)]
    [InlineData(OAuthTestClients.ClientSecret)]
    [InlineData(OAuthTestClients.OtherClientSecret)]
    public void StrongSecrets_AreAccepted(string secret)
    {
        Assert.Null(Failure(Clients(("a", secret))));
    }

    [Theory]
    [InlineData("secret b")] // what the tests used before
    [InlineData("dev-secret")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")] // 63 hex digits: 252 bits
    [InlineData("q3Vd0m6tG8s1Zb9xR2yPcLwJfE4nHkU7aT5iO+oN/M")] // 42 base64 characters: 252 bits
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // long, but one character repeated
    public void WeakSecret_IsRefusedNamingTheSettingAndTheRule_WithoutQuotingIt(string secret)
    {
        var failure = Failure(Clients(("a", Base64Secret), ("b", secret)));

        Assert.NotNull(failure);
        Assert.Contains("OAuth:Clients:1:ClientSecret is too weak: a client secret needs at least 256 bits (32 bytes) of entropy", failure);
        Assert.Contains("at least 64 hex digits, 43 base64 characters or 40 other characters", failure);
        Assert.DoesNotContain(secret, failure);
        Assert.DoesNotContain("OAuth:Clients:0", failure);
    }

    [Fact]
    public void DuplicateClientIds_AreRefusedNamingBothSettings()
    {
        var failure = Failure(Clients(("a", Base64Secret), ("b", HexSecret), ("a", HexSecret)));

        Assert.NotNull(failure);
        Assert.Contains("OAuth:Clients:2:ClientId repeats the id of OAuth:Clients:0:ClientId ('a')", failure);
    }

    [Theory]
    [InlineData("CHANGE-ME", Base64Secret, "OAuth:Clients:0:ClientId is a placeholder")]
    [InlineData("orders", "CHANGE-ME", "OAuth:Clients:0:ClientSecret is a placeholder value")]
    [InlineData("orders", "change_me-0123456789abcdefghijklmnopqrstuvwxyz", "OAuth:Clients:0:ClientSecret is a placeholder value")]
    [InlineData("orders", "${OAUTH_CLIENT_SECRET_FOR_THE_ORDERS_SERVICE_IN_PRODUCTION}", "OAuth:Clients:0:ClientSecret is a placeholder value")]
    [InlineData("<client-id>", Base64Secret, "OAuth:Clients:0:ClientId is a placeholder")]
    public void PlaceholderValues_AreRefusedNamingTheSetting(string id, string secret, string message)
    {
        Assert.Contains(message, Failure(Clients((id, secret))));
    }

    [Fact]
    public void HalfAClient_IsRefused_ButAnEmptySlotIsIgnored()
    {
        Assert.Contains("OAuth:Clients:0:ClientSecret is not set", Failure(Clients(("orders", ""))));
        Assert.Contains("OAuth:Clients:0:ClientId is not set, but OAuth:Clients:0:ClientSecret is", Failure(Clients(("", Base64Secret))));
        // docker-compose.yml sets OAuth__Clients__0__* to empty strings when no client is given.
        Assert.Null(Failure(Clients(("", ""))));
    }

    [Theory]
    [InlineData(0, 10, "00:00:01", "OAuth:RateLimit:ClientPermitLimit must be between 1 and 1000000 (was 0)")]
    [InlineData(100, 0, "00:00:01", "OAuth:RateLimit:AddressPermitLimit must be between 1 and 1000000 (was 0)")]
    [InlineData(100, 10, "00:00:00.5", "OAuth:RateLimit:Window must be between 00:00:01 and 01:00:00")]
    [InlineData(100, 10, "02:00:00", "OAuth:RateLimit:Window must be between 00:00:01 and 01:00:00")]
    public void RateLimitsOutOfRange_AreRefusedNamingTheSetting(int client, int address, string window, string message)
    {
        var options = new OAuthClientOptions
        {
            RateLimit = new() { ClientPermitLimit = client, AddressPermitLimit = address, Window = TimeSpan.Parse(window) },
        };

        Assert.Contains(message, Failure(options));
    }

    [Fact]
    public void Defaults_AreValid_AndAsDocumented()
    {
        var options = new OAuthClientOptions();

        Assert.Null(Failure(options));
        Assert.Equal(100, options.RateLimit.ClientPermitLimit);
        Assert.Equal(10, options.RateLimit.AddressPermitLimit);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RateLimit.Window);
    }

    [Fact]
    public void TheNodesOwnSettingsFiles_PassValidation()
    {
        // appsettings.Development.json's dev client must pass, or `scripts/cluster.sh up` stops at start.
        var folder = Path.Combine(RepoPaths.Root, "src", "Api", "Revocation.Api");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(folder, "appsettings.json"))
            .AddJsonFile(Path.Combine(folder, "appsettings.Development.json"))
            .Build();
        var options = new OAuthClientOptions();
        configuration.GetSection(OAuthClientOptions.SectionName).Bind(options);

        Assert.NotEmpty(options.Clients);
        Assert.Null(Failure(options));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AddressPartition_IsTheIPv4AddressOrTheIPv6Slash64(string address, string partition)
    {
        Assert.Equal(partition, OAuthRateLimitPolicy.AddressPartition(IPAddress.Parse(address)));
    }
}
