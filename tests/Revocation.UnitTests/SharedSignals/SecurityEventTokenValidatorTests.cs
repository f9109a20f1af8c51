using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Revocation.Api.SharedSignals;

namespace Revocation.UnitTests.SharedSignals;

/// <summary>
/// A pushed SET is verified as RFC 8417 §4 and SSF 1.0 §4.1 ask before anything is read from it:
/// each fault is refused with the RFC 8935 error code that names it.
/// </summary>
public sealed class SecurityEventTokenValidatorTests : IDisposable
{
    private readonly TestSets _sets = new();
    private readonly SecurityEventTokenValidator _validator;

    public SecurityEventTokenValidatorTests()
    {
        var options = new SharedSignalsOptions
        {
            Transmitters = [new TransmitterOptions { Issuer = TestSets.Transmitter, Audience = TestSets.Audience, PublicKeys = [_sets.PublicPem], SubjectIssuer = "idp" }],
        };
        _validator = new SecurityEventTokenValidator(Options.Create(options), new HostingEnvironment { EnvironmentName = Environments.Production }, TimeProvider.System);
    }

    private async Task<(SecurityEventToken? Set, SetRefusal? Refusal)> ValidateAsync(string set)
    {
        var token = _validator.Read(set);
        Assert.NotNull(token);
        return await _validator.ValidateAsync(token, CancellationToken.None);
    }

    private static JsonObject SessionRevoked() => TestSets.Claims(EventTypes.SessionRevoked, TestSets.Opaque("session-1"));

    [Fact]
    public async Task SignedSetOfATransmitter_IsAccepted_WithItsJtiAndIat()
    {
        var claims = SessionRevoked();
        var (set, refusal) = await ValidateAsync(_sets.Sign(claims));

        Assert.Null(refusal);
        Assert.Equal((string)claims["jti"]!, set!.Jti);
        Assert.Equal((long)claims["iat"]!, set.IssuedAt.ToUnixTimeSeconds());
        Assert.Equal(TestSets.Transmitter, set.Transmitter.Issuer);
    }

    [Fact]
    public async Task AudienceAsAnArrayNamingThisReceiver_IsAccepted()
    {
        var claims = SessionRevoked();
        claims["aud"] = new JsonArray("https://someone-else.example", TestSets.Audience);

        Assert.Null((await ValidateAsync(_sets.Sign(claims))).Refusal);
    }

    [Fact]
    public async Task SetSignedWithAnotherKey_IsRefused_InvalidKey()
    {
        using var forger = RSA.Create(2048);
        var (_, refusal) = await ValidateAsync(_sets.Sign(SessionRevoked(), key: forger));

        Assert.Equal("invalid_key", refusal!.Error);
    }

    [Fact]
    public async Task SetOfAnUnknownIssuer_IsRefused_InvalidIssuer()
    {
        var claims = SessionRevoked();
        claims["iss"] = "https://not-a-transmitter.example";

        Assert.Equal("invalid_issuer", (await ValidateAsync(_sets.Sign(claims))).Refusal!.Error);
    }

    [Fact]
    public async Task SetForAnotherAudience_IsRefused_InvalidAudience()
    {
        var claims = SessionRevoked();
        claims["aud"] = "https://someone-else.example";

        Assert.Equal("invalid_audience", (await ValidateAsync(_sets.Sign(claims))).Refusal!.Error);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    [InlineData("logout+jwt")]
    public async Task JwtNotTypedAsASet_IsRefused(string type)
    {
        var (_, refusal) = await ValidateAsync(_sets.Sign(SessionRevoked(), type));

        Assert.Equal("invalid_request", refusal!.Error);
        Assert.Contains("secevent+jwt", refusal.Description);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("sub")]
    public async Task SetWithAClaimThatMakesItAnotherKindOfJwt_IsRefused(string claim)
    {
        var claims = SessionRevoked();
        claims[claim] = claim == "exp" ? DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() : "alice";

        var (_, refusal) = await ValidateAsync(_sets.Sign(claims));

        Assert.Equal("invalid_request", refusal!.Error);
        Assert.Contains(claim, refusal.Description);
    }

    [Theory]
    [InlineData("jti")]
    [InlineData("iat")]
    [InlineData("events")]
    public async Task SetWithoutARequiredClaim_IsRefused_NamingIt(string claim)
    {
        var claims = SessionRevoked();
        claims.Remove(claim);

        var (_, refusal) = await ValidateAsync(_sets.Sign(claims));

        Assert.Equal("invalid_request", refusal!.Error);
        Assert.Contains(claim, refusal.Description);
    }

    [Fact]
    public async Task SetWithAnEventThatIsNotAnObject_IsRefused()
    {
        var claims = SessionRevoked();
        claims["events"] = new JsonObject { [EventTypes.SessionRevoked] = "yes" };

        Assert.Equal("invalid_request", (await ValidateAsync(_sets.Sign(claims))).Refusal!.Error);
    }

    [Fact]
    public async Task SetOlderThanMaxEventAge_IsRefused()
    {
        var claims = TestSets.Claims(EventTypes.SessionRevoked, TestSets.Opaque("s"), issuedAt: DateTimeOffset.UtcNow - TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));

        var (_, refusal) = await ValidateAsync(_sets.Sign(claims));

        Assert.Contains("MaxEventAge", refusal!.Description);
    }

    [Fact]
    public async Task SetIssuedFurtherAheadThanTheSkew_IsRefused()
    {
        var claims = TestSets.Claims(EventTypes.SessionRevoked, TestSets.Opaque("s"), issuedAt: DateTimeOffset.UtcNow + TimeSpan.FromMinutes(6));

        Assert.Contains("ClockSkew", (await ValidateAsync(_sets.Sign(claims))).Refusal!.Description);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    public void WhatIsNotACompactJws_IsNotRead(string body) => Assert.Null(_validator.Read(body));

    [Fact]
    public async Task UnsignedSet_IsNotAccepted()
    {
        var signed = _sets.Sign(SessionRevoked());
        var unsigned = signed[..(signed.LastIndexOf('.') + 1)];

        var token = _validator.Read(unsigned);
        var refusal = token is null ? null : (await _validator.ValidateAsync(token, CancellationToken.None)).Refusal;

        Assert.True(token is null || refusal is not null);
    }

    public void Dispose() => _sets.Dispose();
}
