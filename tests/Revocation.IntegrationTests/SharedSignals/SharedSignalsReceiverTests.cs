using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.SharedSignals;

/// <summary>
/// The Shared Signals receiver on two API nodes: a SET's revocation is enforced by both nodes as
/// soon as the push is answered 202, the events not acted on change nothing, a second delivery is
/// recognised, and every bad push is refused with RFC 8935's error and writes nothing.
/// </summary>
[Collection(SharedSignalsCollection.Name)]
public sealed class SharedSignalsReceiverTests(SharedSignalsNodes nodes)
{
    private static string NewId() => Guid.NewGuid().ToString("N");

    private string Token(string sub, string? sid = null, DateTimeOffset? issuedAt = null)
    {
        var overrides = new Dictionary<string, object?> { ["sid"] = sid };
        if (issuedAt is { } iat)
        {
            overrides["iat"] = iat.ToUnixTimeSeconds();
            overrides["nbf"] = iat.ToUnixTimeSeconds();
        }

        return nodes.Tokens.Mint(overrides: overrides, sub: sub);
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient node, string token)
    {
        using var response = await node.SendAsync(ApiNode.Get("/me", token));
        return response.StatusCode;
    }

    private async Task AcceptedOnBothAsync(params string[] tokens)
    {
        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.A, token));
            Assert.Equal(HttpStatusCode.OK, await MeAsync(nodes.B, token));
        }
    }

    private static async Task<HttpResponseMessage> Accepted(Task<HttpResponseMessage> push)
    {
        var response = await push;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return response;
    }

    private Task<SubjectStatus> SubjectAsync(string sub) => nodes.Silos.Grains.GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync().AsTask();

    [Fact]
    public async Task SessionRevoked_RefusesThatSessionsTokensOnBothNodesAtOnce_TheUsersOtherSessionKeepsWorking()
    {
        var (sub, revoked, other) = (NewId(), NewId(), NewId());
        var (first, second, elsewhere) = (Token(sub, revoked), Token(sub, revoked), Token(sub, other));
        await AcceptedOnBothAsync(first, second, elsewhere);

        await Accepted(SharedSignalsNodes.PushAsync(nodes.A, nodes.Sets.Event(EventTypes.SessionRevoked, TestSets.Opaque(revoked))));

        foreach (var token in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(nodes.A, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(nodes.B, token));
        }

        await AcceptedOnBothAsync(elsewhere);
    }

    [Theory]
    [InlineData(EventTypes.CredentialChange)]
    [InlineData(EventTypes.AccountDisabled)]
    [InlineData(EventTypes.CredentialCompromise)]
    public async Task UserEvent_RefusesTheUsersTokensIssuedUpToTheEvent_AndAcceptsOneIssuedAfter(string type)
    {
        var sub = NewId();
        var now = DateTimeOffset.UtcNow;
        var before = Token(sub, issuedAt: now - TimeSpan.FromSeconds(20));
        var atTheEvent = Token(sub, issuedAt: now - TimeSpan.FromSeconds(10));
        var after = Token(sub, issuedAt: now - TimeSpan.FromSeconds(9));
        var otherUser = Token(NewId(), issuedAt: now - TimeSpan.FromSeconds(20));
        await AcceptedOnBothAsync(before, atTheEvent, after, otherUser);
        var eventClaims = new JsonObject { ["event_timestamp"] = (now - TimeSpan.FromSeconds(10)).ToUnixTimeSeconds() };

        await Accepted(SharedSignalsNodes.PushAsync(nodes.B, nodes.Sets.Event(type, TestSets.IssSub(TestTokens.Issuer, sub), eventClaims)));

        foreach (var token in new[] { before, atTheEvent })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(nodes.A, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(nodes.B, token));
        }

        await AcceptedOnBothAsync(after, otherUser);
    }

    [Fact]
    public async Task SessionRevokedNamingOnlyTheUser_RefusesEveryTokenOfTheUserIssuedUpToIt()
    {
        var sub = NewId();
        var token = Token(sub, NewId(), DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5));
        await AcceptedOnBothAsync(token);

        await Accepted(SharedSignalsNodes.PushAsync(nodes.A, nodes.Sets.Event(EventTypes.SessionRevoked, TestSets.Complex(user: TestSets.IssSub(TestTokens.Issuer, sub)))));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(nodes.B, token));
    }

    [Fact]
    public async Task SecondDeliveryOfASet_IsAcceptedWithoutActingAgain()
    {
        var sub = NewId();

        // An event two hours old revokes up to SharedSignals:MaxNotBeforeAge ago, taken when acted on:
        // acting again later would move the not-before.
        var claims = TestSets.Claims(EventTypes.CredentialChange, TestSets.IssSub(TestTokens.Issuer, sub),
            new JsonObject { ["event_timestamp"] = (DateTimeOffset.UtcNow - TimeSpan.FromHours(2)).ToUnixTimeSeconds() });
        var set = nodes.Sets.Sign(claims);
        await Accepted(SharedSignalsNodes.PushAsync(nodes.A, set));
        var first = (await SubjectAsync(sub)).NotBefore;
        Assert.NotNull(first);
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        await Accepted(SharedSignalsNodes.PushAsync(nodes.B, set));

        Assert.Equal(first, (await SubjectAsync(sub)).NotBefore);
    }

    [Fact]
    public async Task VerificationEvent_IsAccepted()
    {
        var set = nodes.Sets.Event(EventTypes.Verification, TestSets.Opaque("stream-1"), new JsonObject { ["state"] = "VGhpcyBpcyBhbiBleGFtcGxl" });

        await Accepted(SharedSignalsNodes.PushAsync(nodes.A, set));
    }

    [Fact]
    public async Task EventNotActedOn_IsAccepted_AndChangesNothing()
    {
        var sub = NewId();
        var token = Token(sub, NewId());

        await Accepted(SharedSignalsNodes.PushAsync(nodes.A, nodes.Sets.Event(EventTypes.TokenClaimsChange, TestSets.IssSub(TestTokens.Issuer, sub), new JsonObject { ["claims"] = new JsonObject { ["role"] = "ro-admin" } })));

        await AcceptedOnBothAsync(token);
        Assert.Null((await SubjectAsync(sub)).NotBefore);
    }

    [Fact]
    public async Task SubjectOfAnIssuerTheTransmitterDoesNotSpeakFor_IsIgnored()
    {
        var sub = NewId();

        await Accepted(SharedSignalsNodes.PushAsync(nodes.A, nodes.Sets.Event(EventTypes.AccountDisabled, TestSets.IssSub("https://other-idp.example", sub))));

        Assert.Null((await nodes.Silos.Grains.GetSubjectGrain("https://other-idp.example", sub).GetStatusAsync()).NotBefore);
    }

    public static TheoryData<string, string> BadPushes => new()
    {
        { "forged", "invalid_key" },
        { "wrong audience", "invalid_audience" },
        { "unknown issuer", "invalid_issuer" },
        { "typed as an access token", "invalid_request" },
        { "with exp", "invalid_request" },
        { "with sub", "invalid_request" },
        { "too old", "invalid_request" },
        { "event in the future", "invalid_request" },
        { "no Authorization", "authentication_failed" },
        { "wrong Authorization", "authentication_failed" },
        { "form-encoded", "invalid_request" },
        { "not a JWT", "invalid_request" },
        { "too large", "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BadPushes))]
    public async Task BadPush_IsRefusedWithItsError_AndWritesNothing(string fault, string error)
    {
        var sub = NewId();
        var token = Token(sub, issuedAt: DateTimeOffset.UtcNow - TimeSpan.FromSeconds(30));
        var claims = TestSets.Claims(EventTypes.AccountDisabled, TestSets.IssSub(TestTokens.Issuer, sub));
        string? authorization = SharedSignalsNodes.Authorization;
        var mediaType = "application/secevent+jwt";
        var type = "secevent+jwt";
        System.Security.Cryptography.RSA? key = null;
        using var forger = System.Security.Cryptography.RSA.Create(2048);
        switch (fault)
        {
            case "forged": key = forger; break;
            case "wrong audience": claims["aud"] = "https://someone-else.example"; break;
            case "unknown issuer": claims["iss"] = "https://not-a-transmitter.example"; break;
            case "typed as an access token": type = "at+jwt"; break;
            case "with exp": claims["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(); break;
            case "with sub": claims["sub"] = sub; break;
            case "too old": claims["iat"] = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds(); break;
            case "event in the future": claims["events"]![EventTypes.AccountDisabled]!["event_timestamp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(); break;
            case "no Authorization": authorization = null; break;
            case "wrong Authorization": authorization = "Bearer guessed"; break;
            case "form-encoded": mediaType = "application/x-www-form-urlencoded"; break;
        }

        var body = fault switch
        {
            "not a JWT" => "this is not a token",
            "too large" => new string('a', 70_000),
            _ => nodes.Sets.Sign(claims, type, key),
        };

        using var response = await SharedSignalsNodes.PushAsync(nodes.A, body, authorization, mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, answer.RootElement.GetProperty("err").GetString());
        Assert.False(string.IsNullOrEmpty(answer.RootElement.GetProperty("description").GetString()));
        Assert.Null((await SubjectAsync(sub)).NotBefore);
        await AcceptedOnBothAsync(token);
        Assert.DoesNotContain(nodes.NodeA.Logs.Lines, m => m.Contains(body.Length > 40 ? body[..40] : "\u0000", StringComparison.Ordinal));
    }
}
