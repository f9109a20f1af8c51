using System.Text.Json.Nodes;
using System.Text.Json;
using Revocation.Abstractions;
using Revocation.Api.SharedSignals;
using static Revocation.Api.SharedSignals.SecurityEventAction;

namespace Revocation.UnitTests.SharedSignals;

/// <summary>
/// What each CAEP/RISC/SSF event makes the registry do, subject formats of RFC 9493 included; a
/// transmitter speaks only for its own token issuer.
/// </summary>
public sealed class SecurityEventInterpreterTests
{
    private const string Idp = "https://idp.example";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly SharedSignalsOptions Options = new();
    private static readonly TransmitterOptions Transmitter = new() { Issuer = TestSets.Transmitter, Audience = TestSets.Audience, SubjectIssuer = Idp };

    private static IReadOnlyList<SecurityEventAction> Interpret(JsonObject claims)
    {
        var (actions, refusal) = Refused(claims);
        Assert.Null(refusal);
        return actions!;
    }

    private static (IReadOnlyList<SecurityEventAction>? Actions, SetRefusal? Refusal) Refused(JsonObject claims)
    {
        var payload = JsonDocument.Parse(claims.ToJsonString()).RootElement;
        var set = new SecurityEventToken(Transmitter, (string)claims["jti"]!, DateTimeOffset.FromUnixTimeSeconds((long)claims["iat"]!), payload);
        return SecurityEventInterpreter.Interpret(set, Options, Now);
    }

    private static JsonObject At(long timestamp) => new() { ["event_timestamp"] = timestamp };

    [Fact]
    public void SessionRevoked_WithAnOpaqueSessionId_RevokesThatSession()
    {
        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.SessionRevoked, TestSets.Opaque("sid-1"), issuedAt: Now)));

        Assert.Equal(new RevokeSession("session-revoked", new IssuerKey(Idp, "sid-1")), action);
    }

    [Fact]
    public void SessionRevoked_WithAComplexSubject_RevokesTheSessionNotTheUser()
    {
        var subject = TestSets.Complex(user: TestSets.IssSub(Idp, "alice"), session: TestSets.Opaque("sid-2"));

        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.SessionRevoked, subject, issuedAt: Now)));

        Assert.Equal(new RevokeSession("session-revoked", new IssuerKey(Idp, "sid-2")), action);
    }

    [Fact]
    public void SessionRevoked_NamingOnlyTheUser_RevokesTheUsersTokensIssuedUpToTheEvent()
    {
        var at = Now.ToUnixTimeSeconds() - 30;
        var claims = TestSets.Claims(EventTypes.SessionRevoked, TestSets.Complex(user: TestSets.IssSub(Idp, "alice")), At(at), issuedAt: Now);

        var action = Assert.Single(Interpret(claims));

        // Tokens with iat <= the event's second are refused: iat < not-before.
        Assert.Equal(new RevokeSubject("session-revoked", new IssuerKey(Idp, "alice"), DateTimeOffset.FromUnixTimeSeconds(at + 1)), action);
    }

    [Theory]
    [InlineData(EventTypes.CredentialChange, "credential-change")]
    [InlineData(EventTypes.AccountDisabled, "account-disabled")]
    [InlineData(EventTypes.CredentialCompromise, "credential-compromise")]
    public void UserEvents_RevokeTheUsersTokensIssuedUpToTheEvent(string type, string name)
    {
        var at = Now.ToUnixTimeSeconds() - 60;

        var action = Assert.Single(Interpret(TestSets.Claims(type, TestSets.IssSub(Idp, "bob"), At(at), issuedAt: Now)));

        Assert.Equal(new RevokeSubject(name, new IssuerKey(Idp, "bob"), DateTimeOffset.FromUnixTimeSeconds(at + 1)), action);
    }

    [Fact]
    public void UserEvent_WithAnOpaqueId_NamesAUserOfTheSubjectIssuer()
    {
        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.AccountDisabled, TestSets.Opaque("carol"), issuedAt: Now)));

        Assert.Equal(new RevokeSubject("account-disabled", new IssuerKey(Idp, "carol"), Now + TimeSpan.FromSeconds(1)), action);
    }

    [Fact]
    public void EventWithoutATimestamp_IsTakenToHaveHappenedAtTheSetsIat()
    {
        var issuedAt = Now - TimeSpan.FromSeconds(90);

        var action = (RevokeSubject)Assert.Single(Interpret(TestSets.Claims(EventTypes.CredentialChange, TestSets.IssSub(Idp, "bob"), issuedAt: issuedAt)));

        Assert.Equal(issuedAt + TimeSpan.FromSeconds(1), action.NotBefore);
    }

    [Fact]
    public void EventThatTookLongerThanMaxNotBeforeAgeToArrive_RevokesUpToThatLongAgo()
    {
        var at = (Now - TimeSpan.FromHours(2)).ToUnixTimeSeconds();

        var action = (RevokeSubject)Assert.Single(Interpret(TestSets.Claims(EventTypes.CredentialChange, TestSets.IssSub(Idp, "bob"), At(at), issuedAt: Now)));

        Assert.Equal(Now - Options.MaxNotBeforeAge, action.NotBefore);
    }

    [Fact]
    public void EventTimestampAheadOfTheClockBeyondTheSkew_IsRefused()
    {
        var at = (Now + TimeSpan.FromMinutes(6)).ToUnixTimeSeconds();

        var (_, refusal) = Refused(TestSets.Claims(EventTypes.CredentialChange, TestSets.IssSub(Idp, "bob"), At(at), issuedAt: Now));

        Assert.Equal("invalid_request", refusal!.Error);
        Assert.Contains("event_timestamp", refusal.Description);
    }

    [Fact]
    public void SubjectOfAnotherIssuer_IsIgnored_NoTransmitterSpeaksForAnIdentityProviderItIsNot()
    {
        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.AccountDisabled, TestSets.IssSub("https://other-idp.example", "bob"), issuedAt: Now)));

        Assert.IsType<Ignore>(action);
    }

    [Theory]
    [InlineData("""{"format":"email","email":"bob@example.com"}""")]
    [InlineData("""{"format":"phone_number","phone_number":"+12065550100"}""")]
    [InlineData("""{"format":"iss_sub","iss":"https://idp.example"}""")]
    [InlineData("""{"format":"opaque","id":""}""")]
    [InlineData("""{"format":"opaque","id":42}""")]
    [InlineData("""{"id":"no-format"}""")]
    public void SubjectNamingNoUserOrSessionAToken_Carries_IsIgnored(string subject)
    {
        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.CredentialCompromise, (JsonObject)JsonNode.Parse(subject)!, issuedAt: Now)));

        Assert.IsType<Ignore>(action);
    }

    [Fact]
    public void Aliases_AreSearchedForAnIdentifierReadHere()
    {
        var aliases = new JsonObject
        {
            ["format"] = "aliases",
            ["identifiers"] = new JsonArray(new JsonObject { ["format"] = "email", ["email"] = "bob@example.com" }, TestSets.IssSub(Idp, "bob")),
        };

        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.AccountDisabled, aliases, issuedAt: Now)));

        Assert.Equal(new IssuerKey(Idp, "bob"), ((RevokeSubject)action).Subject);
    }

    [Fact]
    public void LegacyEventSubject_IsReadWhenTheSetHasNoSubId()
    {
        var claims = TestSets.Claims(EventTypes.SessionRevoked, null, new JsonObject { ["subject"] = TestSets.Opaque("sid-9") }, issuedAt: Now);
        claims.Remove("sub_id");

        Assert.Equal(new RevokeSession("session-revoked", new IssuerKey(Idp, "sid-9")), Assert.Single(Interpret(claims)));
    }

    [Fact]
    public void Verification_IsAcknowledged_WithItsStream()
    {
        var claims = TestSets.Claims(EventTypes.Verification, TestSets.Opaque("stream-7"), new JsonObject { ["state"] = "abc" }, issuedAt: Now);

        Assert.Equal(new Verify("verification", "stream-7"), Assert.Single(Interpret(claims)));
    }

    [Fact]
    public void UnknownEventType_IsAcceptedAndIgnored()
    {
        var action = Assert.Single(Interpret(TestSets.Claims(EventTypes.TokenClaimsChange, TestSets.IssSub(Idp, "bob"), issuedAt: Now)));

        Assert.Equal("other", Assert.IsType<Ignore>(action).EventType);
    }

    [Fact]
    public void SetWithTwoEvents_ActsOnEach()
    {
        var claims = TestSets.Claims(EventTypes.CredentialChange, TestSets.Complex(user: TestSets.IssSub(Idp, "dan"), session: TestSets.Opaque("sid-d")), issuedAt: Now);
        claims["events"]![EventTypes.SessionRevoked] = new JsonObject();

        var actions = Interpret(claims);

        Assert.Equal(2, actions.Count);
        Assert.Contains(actions, a => a is RevokeSubject { Subject.Value: "dan" });
        Assert.Contains(actions, a => a is RevokeSession { Session.Value: "sid-d" });
    }
}
