using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.JsonWebTokens;
using Revocation.Abstractions;
using Revocation.AspNetCore;
using Revocation.Grains;

namespace Revocation.UnitTests.Sessions;

/// <summary>The input rules of a session id and where a token's sid is read.</summary>
public sealed class SessionInputTests
{
    [Theory]
    [InlineData(null, "sid must not be empty")]
    [InlineData("", "sid must not be empty")]
    [InlineData("a\nb", "sid must not contain control characters")]
    public void CheckSession_RefusesEmptyAndControlCharacters_NamingSid(string? sid, string expected)
    {
        Assert.StartsWith(expected, TokenInput.CheckSession(sid));
        var refused = Assert.Throws<TokenInputException>(() => TokenInput.ValidateSession(sid));
        Assert.Equal("sid", refused.Field);
    }

    [Fact]
    public void CheckSession_AcceptsUpTo256Characters_AndRefusesMore()
    {
        Assert.Null(TokenInput.CheckSession(new string('s', 256)));
        Assert.Equal("sid must be at most 256 characters (was 257).", TokenInput.CheckSession(new string('s', 257)));
    }

    [Fact]
    public void SessionKeyError_NamesTheSessionRule_AndTheTokenKindItsOwn()
    {
        var tooLong = new IssuerKey(TestTokens.Issuer, new string('s', 257)).ToGrainKey();

        Assert.Null(RevocationRowKind.Session.KeyError(TestKeys.Of("ok"), out var key));
        Assert.Equal(TestKeys.Scoped("ok"), key);
        Assert.StartsWith("sid must be at most", RevocationRowKind.Session.KeyError(tooLong, out _));
        Assert.StartsWith("jti must be at most", RevocationRowKind.Token.KeyError(tooLong, out _));
        Assert.Contains("<sid>", RevocationRowKind.Session.KeyError("no prefix", out _));
    }

    [Fact]
    public void SessionNotice_CarriesItsKind_IssuerAndEnd()
    {
        var until = DateTimeOffset.Parse("2026-12-07T12:00:00Z");

        var notice = RevocationRowKind.Session.Notice("https://idp.example", "abc", until);

        Assert.Equal(new RevocationNotice(RevocationNoticeKind.Session, "abc", until, "https://idp.example"), notice);
    }

    [Fact]
    public void TokenIdentity_ReadsTheSid_OfBothTokenTypes_AndNoneWhenAbsentOrEmpty()
    {
        using var tokens = new TestTokens();
        var withSid = tokens.Mint(overrides: new Dictionary<string, object?> { ["sid"] = "s-1" });
        var emptySid = tokens.Mint(overrides: new Dictionary<string, object?> { ["sid"] = "" });
        var without = tokens.Mint();

        Assert.Equal("s-1", TokenIdentity.From(new JsonWebToken(withSid)).SessionId);
        Assert.Equal("s-1", TokenIdentity.From(new JwtSecurityToken(withSid))!.SessionId);
        Assert.Null(TokenIdentity.From(new JsonWebToken(emptySid)).SessionId);
        Assert.Null(TokenIdentity.From(new JsonWebToken(without)).SessionId);
        Assert.Null(TokenIdentity.From(new JwtSecurityToken(without))!.SessionId);
    }

    [Theory]
    [InlineData("00:00:59", false)]
    [InlineData("00:01:00", true)]
    [InlineData("366.00:00:00", true)]
    [InlineData("366.00:00:01", false)]
    public void SessionRetention_OutsideOneMinuteTo366Days_IsRefusedNamingTheSetting(string retention, bool valid)
    {
        var result = new SessionRevocationOptionsValidator().Validate(null, new SessionRevocationOptions { Retention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("SessionRevocation:Retention", result.FailureMessage);
        }
    }

    [Fact]
    public void SessionGrainSettings_AreValidatedLikeTokenGrainSettings_UnderTheirOwnSection()
    {
        var result = new SessionRevocationOptionsValidator().Validate(null, new SessionRevocationOptions { CollectionAge = TimeSpan.FromSeconds(30), MaxActivationsPerSilo = -1 });

        Assert.False(result.Succeeded);
        Assert.Contains("SessionRevocation:CollectionAge", result.FailureMessage);
        Assert.Contains("SessionRevocation:MaxActivationsPerSilo", result.FailureMessage);
    }
}
