using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Orleans;
using Revocation.Abstractions;
using Revocation.Api.Oidc;
using Revocation.IntegrationTests.Fixtures;
using static System.Net.HttpStatusCode;

namespace Revocation.IntegrationTests.Oidc;

/// <summary>
/// The back-channel logout receiver with logout tokens minted here (the real provider's run is
/// <see cref="RealProviderTests"/>): a <c>sid</c> logout refuses that session's tokens only, a
/// <c>sub</c>-only logout exactly the subject's tokens issued up to its <c>iat</c>, on both nodes,
/// once answered 200; a <c>jti</c> is honoured once,
/// cluster-wide and across activations; bad input gets 400 with §2.8's error JSON and writes nothing.
/// </summary>
[Collection(BackchannelLogoutCollection.Name)]
public sealed class BackchannelLogoutTests(BackchannelLogoutNodes nodes)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SidLogout_Answered200_RefusesThatSessionOnBothNodes_OtherSessionsOfTheUserKeepWorking(bool withSub)
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var (sid1, sid2) = ($"session-{Guid.NewGuid():N}", $"session-{Guid.NewGuid():N}");
        var issuedBefore = DateTimeOffset.UtcNow.AddSeconds(-30);
        var session1 = AccessToken(sub, issuedBefore, sid1);
        var session2 = AccessToken(sub, issuedBefore, sid2);
        var sessionless = AccessToken(sub, issuedBefore);
        foreach (var token in new[] { session1, session2, sessionless })
        {
            Assert.Equal(OK, await MeAsync(nodes.A, token));
            Assert.Equal(OK, await MeAsync(nodes.B, token));
        }

        using var response = await BackchannelLogoutNodes.PostAsync(nodes.A, nodes.Logout.Mint(sub: withSub ? sub : null, sid: sid1));

        Assert.Equal(OK, response.StatusCode);
        foreach (var node in new[] { nodes.B, nodes.A })
        {
            Assert.Equal(Unauthorized, await MeAsync(node, session1));
            Assert.Equal(OK, await MeAsync(node, session2));
            Assert.Equal(OK, await MeAsync(node, sessionless));
        }
    }

    [Fact]
    public async Task SubOnly_Answered200_RefusesTokensIssuedUpToItsIat_OnBothNodes_AcceptsOneIssuedASecondLater()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var logoutIat = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);
        var before = AccessToken(sub, logoutIat.AddSeconds(-60));
        var sameSecond = AccessToken(sub, logoutIat);
        var secondAfter = AccessToken(sub, logoutIat.AddSeconds(1));
        var otherUser = AccessToken($"other-{Guid.NewGuid():N}", logoutIat.AddSeconds(-60));
        foreach (var token in new[] { before, sameSecond, secondAfter, otherUser })
        {
            Assert.Equal(OK, await MeAsync(nodes.A, token));
            Assert.Equal(OK, await MeAsync(nodes.B, token)); // cached as accepted on both nodes
        }

        using var response = await BackchannelLogoutNodes.PostAsync(nodes.A, nodes.Logout.Mint(sub: sub, issuedAt: logoutIat));

        Assert.Equal(OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        foreach (var node in new[] { nodes.B, nodes.A })
        {
            Assert.Equal(Unauthorized, await MeAsync(node, before));
            Assert.Equal(Unauthorized, await MeAsync(node, sameSecond));
            Assert.Equal(OK, await MeAsync(node, secondAfter));
            Assert.Equal(OK, await MeAsync(node, otherUser));
        }
    }

    [Fact]
    public async Task SameLogoutToken_Twice_SecondRefusedAsReplay_OnTheOtherNodeToo_AndAfterItsGrainWasCollected()
    {
        var jti = Guid.NewGuid().ToString("N");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var logout = nodes.Logout.Mint(sub: $"user-{Guid.NewGuid():N}", issuedAt: issuedAt, overrides: new Dictionary<string, object?> { ["jti"] = jti });

        using var first = await BackchannelLogoutNodes.PostAsync(nodes.A, logout);
        var tablesAfterFirst = await TableContents.TakeAsync(nodes.Silos.ConnectionString);
        // Remembered until a delivery could no longer pass anyway: its exp (iat + 2 min) plus Jwt:ClockSkew (30 s); then the sweeper deletes the row.
        var seenUntil = await TestPostgres.ScalarAsync<DateTime>(nodes.Silos.ConnectionString,
            "SELECT seen_until FROM received_tokens WHERE iss = $1 AND jti = $2", TestTokens.Issuer, jti);
        using var second = await BackchannelLogoutNodes.PostAsync(nodes.B, logout);
        // Every idle activation collected: the next delivery's grain reads its record from the database.
        await nodes.Silos.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        using var third = await BackchannelLogoutNodes.PostAsync(nodes.A, logout);

        Assert.Equal(OK, first.StatusCode);
        Assert.Equal(issuedAt.AddMinutes(2).AddSeconds(30), new DateTimeOffset(DateTime.SpecifyKind(seenUntil, DateTimeKind.Utc)));
        await AssertErrorAsync(second, "invalid_request", "received before");
        await AssertErrorAsync(third, "invalid_request", "received before");
        Assert.Empty((await TableContents.TakeAsync(nodes.Silos.ConnectionString)).ChangedSince(tablesAfterFirst));
    }

    [Fact]
    public async Task RevocationFailed_Gets400TemporarilyUnavailable_AndTheSameTokenIsHonouredWhenDeliveredAgain()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var logoutIat = DateTimeOffset.UtcNow.AddSeconds(-2);
        var access = AccessToken(sub, logoutIat.AddSeconds(-30));
        var logout = nodes.Logout.Mint(sub: sub, issuedAt: logoutIat);
        // A node that does not check subjects cannot enforce a sub-only logout: it must not acknowledge one.
        // Its release of the token's claim is slowed: the provider's immediate redelivery must still
        // find the token unclaimed, so the failure is answered only once the claim is released.
        await using var noSubjects = new ApiFactory(nodes.Silos, nodes.Tokens, new Dictionary<string, string?>
        {
            ["Jwt:BackchannelLogout:ClientId"] = BackchannelLogoutNodes.ClientId,
            ["RevocationCheck:CheckSubject"] = "false",
        }, services: services => services.AddSingleton<IOutgoingGrainCallFilter>(new SlowClaimRelease()));
        using var client = noSubjects.CreateClient();

        using var failed = await BackchannelLogoutNodes.PostAsync(client, logout);
        await AssertErrorAsync(failed, "temporarily_unavailable", "deliver the logout token again");
        Assert.Equal(OK, await MeAsync(nodes.B, access));

        using var again = await BackchannelLogoutNodes.PostAsync(nodes.A, logout);
        Assert.Equal(OK, again.StatusCode);
        Assert.Equal(Unauthorized, await MeAsync(nodes.B, access));
    }

    [Fact]
    public async Task SameLogoutToken_PostedConcurrentlyToBothNodes_ExactlyOneGets200()
    {
        var logout = nodes.Logout.Mint(sub: $"user-{Guid.NewGuid():N}");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => BackchannelLogoutNodes.PostAsync(i % 2 == 0 ? nodes.A : nodes.B, logout)));

        Assert.Single(responses, r => r.StatusCode == OK);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { OK, BadRequest }));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    public static TheoryData<string> BadTokenCases => [.. BadTokens.Keys];

    /// <summary>Logout tokens §2.6 refuses, each with a word its error_description must contain.</summary>
    private static readonly Dictionary<string, (string Expected, Func<BackchannelLogoutNodes, string> Token)> BadTokens = new()
    {
        ["forged signature"] = ("signature", n => n.Logout.Mint(credentials: new SigningCredentials(new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)), SecurityAlgorithms.RsaSha256))),
        ["wrong aud (the API's audience)"] = ("aud", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["aud"] = TestTokens.Audience })),
        ["expired"] = ("expired", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds() })),
        ["typ at+jwt"] = ("typ", n => n.Logout.Mint(type: "at+jwt")),
        ["nonce present"] = ("nonce", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["nonce"] = "n-0S6_WzA2Mj" })),
        ["events missing"] = ("events", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["events"] = null })),
        ["events without the logout event"] = ("events", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["events"] = new Dictionary<string, object> { ["https://schemas.openid.net/secevent/caep/event-type/session-revoked"] = new Dictionary<string, object>() } })),
        ["neither sid nor sub"] = ("neither", n => n.Logout.Mint(sub: null)),
        ["iat too old"] = ("iat", n => n.Logout.Mint(issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10), overrides: new Dictionary<string, object?> { ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds() })),
        ["iat in the future"] = ("iat", n => n.Logout.Mint(issuedAt: DateTimeOffset.UtcNow.AddMinutes(5))),
        ["iat missing"] = ("iat", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["iat"] = null })),
        ["jti missing"] = ("jti", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["jti"] = null })),
        ["unknown issuer"] = ("iss", n => n.Logout.Mint(overrides: new Dictionary<string, object?> { ["iss"] = "https://unknown-idp.example" })),
        ["an access token (the API's aud)"] = ("aud", n => n.Tokens.Mint(n.Tokens.Rs256)),
        ["an access token for the client id"] = ("typ", n => n.Tokens.Mint(n.Tokens.Rs256, new Dictionary<string, object?> { ["aud"] = BackchannelLogoutNodes.ClientId }, type: "at+jwt")),
        ["not a JWT"] = ("JWT", _ => "not-a-jwt"),
        ["unsigned"] = ("signature", n => n.Tokens.MintUnsigned()),
    };

    [Theory]
    [MemberData(nameof(BadTokenCases))]
    public async Task BadLogoutToken_Gets400WithTheRuleBroken_WritesNothing_LogsNoToken(string name)
    {
        var (expected, mint) = BadTokens[name];
        var token = mint(nodes);
        var tablesBefore = await TableContents.TakeAsync(nodes.Silos.ConnectionString);

        using var response = await BackchannelLogoutNodes.PostAsync(nodes.A, token);

        await AssertErrorAsync(response, "invalid_request", expected);
        Assert.Empty((await TableContents.TakeAsync(nodes.Silos.ConnectionString)).ChangedSince(tablesBefore));
        TokenLeaks.AssertNone([token, .. nodes.Tokens.Minted], nodes.NodeA.Logs.Lines.Select(line => ("node A", line)));
    }

    public static TheoryData<string> BadRequestCases => [.. BadRequests.Keys];

    private static readonly Dictionary<string, Func<BackchannelLogoutNodes, HttpRequestMessage>> BadRequests = new()
    {
        ["no body"] = _ => new HttpRequestMessage(HttpMethod.Post, BackchannelLogoutApi.Path),
        ["JSON body"] = n => new HttpRequestMessage(HttpMethod.Post, BackchannelLogoutApi.Path)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { logout_token = n.Logout.Mint() }), System.Text.Encoding.UTF8, "application/json"),
        },
        ["no logout_token field"] = _ => Post(ApiNode.Form(("token", "x"))),
        ["empty logout_token"] = _ => Post(ApiNode.Form(("logout_token", ""))),
        ["two logout_token fields"] = n => Post(ApiNode.Form(("logout_token", n.Logout.Mint()), ("logout_token", n.Logout.Mint()))),
        ["oversized body"] = _ => Post(ApiNode.Form(("logout_token", new string('a', 100_000)))),
        ["malformed form encoding"] = _ => Post(new StringContent("logout_token=%zz%", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded")),
    };

    [Theory]
    [MemberData(nameof(BadRequestCases))]
    public async Task BadRequest_Gets400WithErrorJson_WritesNothing(string name)
    {
        var tablesBefore = await TableContents.TakeAsync(nodes.Silos.ConnectionString);

        using var response = await nodes.B.SendAsync(BadRequests[name](nodes));

        await AssertErrorAsync(response, "invalid_request", "");
        Assert.Empty((await TableContents.TakeAsync(nodes.Silos.ConnectionString)).ChangedSince(tablesBefore));
    }

    private static HttpRequestMessage Post(HttpContent content) => new(HttpMethod.Post, BackchannelLogoutApi.Path) { Content = content };

    /// <summary>An access token of <paramref name="sub"/> issued at <paramref name="issuedAt"/>.</summary>
    private string AccessToken(string sub, DateTimeOffset issuedAt, string? sid = null) => nodes.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?>
    {
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        ["sid"] = sid,
    });

    private static async Task<HttpStatusCode> MeAsync(HttpClient node, string token)
    {
        using var request = ApiNode.Get("/me", token);
        using var response = await node.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string error, string descriptionContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Contains(descriptionContains, json.RootElement.GetProperty("error_description").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Holds an API node's release of a received token's claim for a second before sending it.</summary>
    private sealed class SlowClaimRelease : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IReceivedTokenGrain.ReleaseAsync) && context.Grain is IReceivedTokenGrain)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            await context.Invoke();
        }
    }
}
