using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Revocation.Api.Authentication;
using Revocation.Api.Oidc;

namespace Revocation.UnitTests.Oidc;

/// <summary>
/// <see cref="LogoutTokenValidator"/> on a fake clock, without a node: the edges of the <c>iat</c>
/// window, how long a <c>jti</c> must be remembered, which <c>typ</c> headers pass.
/// (<see cref="BackchannelLogoutTests"/> posts each refused shape through real nodes.)
/// </summary>
public sealed class LogoutTokenValidatorTests : IDisposable
{
    private const string ClientId = "web";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly TestTokens _tokens = new();
    private readonly FakeTimeProvider _clock = TestClock.Create(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));
    private readonly ServiceProvider _services;
    private readonly LogoutTokenValidator _validator;

    public LogoutTokenValidatorTests()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:Issuer"] = TestTokens.Issuer,
            ["Jwt:Audience"] = TestTokens.Audience,
            ["Jwt:PublicKeys:0"] = _tokens.RsaPublicPem,
            ["Jwt:BackchannelLogout:ClientId"] = ClientId,
        });
        builder.AddTokenAuthentication();
        builder.AddBackchannelLogout();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        _services = builder.Services.BuildServiceProvider();
        _validator = _services.GetRequiredService<LogoutTokenValidator>();
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    private LogoutTokens Logout => new(_tokens, ClientId);

    [Theory]
    [InlineData(-330, true)]  // MaxTokenAge + skew old: the oldest accepted
    [InlineData(-331, false)]
    [InlineData(30, true)]    // the skew ahead
    [InlineData(31, false)]
    public async Task Iat_AcceptedWithinMaxAgePlusSkewBack_AndSkewAhead(int secondsFromNow, bool accepted)
    {
        var iat = Now.AddSeconds(secondsFromNow);
        var token = Logout.Mint(issuedAt: iat, overrides: new Dictionary<string, object?> { ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds() });

        var (valid, refusal) = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal(accepted, valid is not null);
        Assert.Equal(accepted ? null : "iat", refusal?.Reason);
    }

    [Fact]
    public async Task JtiRemembered_UntilExpPlusSkew_WhenThatComesFirst()
    {
        var token = Logout.Mint(issuedAt: Now, overrides: new Dictionary<string, object?> { ["exp"] = Now.AddMinutes(2).ToUnixTimeSeconds() });

        var (valid, _) = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal(Now.AddMinutes(2) + Skew, valid!.AcceptableUntil);
    }

    [Fact]
    public async Task JtiRemembered_UntilTheAgeLimit_WithoutExp()
    {
        var token = Logout.Mint(issuedAt: Now, overrides: new Dictionary<string, object?> { ["exp"] = null });

        var (valid, _) = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal(Now + MaxAge + Skew, valid!.AcceptableUntil);
        Assert.Equal(Now, valid.IssuedAt);
    }

    [Theory]
    [InlineData("logout+jwt", true)]
    [InlineData("application/logout+jwt", true)]
    [InlineData(null, true)] // the library writes "JWT": older providers' untyped logout tokens
    [InlineData("at+jwt", false)]
    [InlineData("secevent+jwt", false)]
    [InlineData("id_token+jwt", false)]
    public async Task TypHeader_LogoutOrPlainJwtAccepted_OtherTypesRefused(string? type, bool accepted)
    {
        var (valid, refusal) = await _validator.ValidateAsync(Logout.Mint(issuedAt: Now, type: type), CancellationToken.None);

        Assert.Equal(accepted, valid is not null);
        Assert.Equal(accepted ? null : "typ", refusal?.Reason);
    }

    [Theory]
    [InlineData("a string")]
    [InlineData(42)]
    public async Task LogoutEventThatIsNoObject_Refused(object value)
    {
        var token = Logout.Mint(issuedAt: Now, overrides: new Dictionary<string, object?>
        {
            ["events"] = new Dictionary<string, object> { [LogoutTokenValidator.BackchannelLogoutEvent] = value },
        });

        var (_, refusal) = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal("events", refusal?.Reason);
    }

    [Fact]
    public async Task SidAlone_Accepted_AsASessionLogout()
    {
        var (valid, _) = await _validator.ValidateAsync(Logout.Mint(sub: null, sid: "session-1", issuedAt: Now), CancellationToken.None);

        Assert.Equal(("session-1", (string?)null), (valid!.SessionId, valid.Subject));
    }

    public void Dispose()
    {
        _services.Dispose();
        _tokens.Dispose();
    }
}
