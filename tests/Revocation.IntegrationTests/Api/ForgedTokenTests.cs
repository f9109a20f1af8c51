using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// The request path's first promise: only a validly signed, unexpired token for this issuer and
/// audience reaches the registry. A forged or foreign token, on every endpoint that takes a token,
/// activates no token or subject grain, makes no database read and writes nothing.
/// </summary>
public sealed class ForgedTokenTests(ForgeryTarget target) : IClassFixture<ForgeryTarget>
{
    private static readonly Dictionary<string, Func<TestTokens, string, string, string>> Forgeries = new()
    {
        ["HS256 with another key"] = (t, jti, sub) => t.Mint(new(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256), jti: jti, sub: sub, scope: "admin"),
        ["RS256 with another key"] = (t, jti, sub) => t.Mint(new(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256), jti: jti, sub: sub, scope: "admin"),
        ["HS256 keyed with the RSA public key"] = (t, jti, sub) => t.Mint(new(new SymmetricSecurityKey(System.Text.Encoding.ASCII.GetBytes(t.RsaPublicPem)), SecurityAlgorithms.HmacSha256), jti: jti, sub: sub, scope: "admin"),
        ["payload swapped under a valid signature"] = (t, jti, sub) => SwapPayload(t.Mint(), t.Mint(jti: jti, sub: sub, scope: "admin")),
        ["alg none"] = (t, jti, _) => t.MintUnsigned(jti),
        ["wrong issuer"] = (t, jti, sub) => t.Mint(jti: jti, sub: sub, scope: "admin", overrides: new Dictionary<string, object?> { ["iss"] = "https://evil.example" }),
        ["wrong audience"] = (t, jti, sub) => t.Mint(jti: jti, sub: sub, scope: "admin", overrides: new Dictionary<string, object?> { ["aud"] = "another-api" }),
        ["expired"] = (t, jti, sub) => t.Mint(jti: jti, sub: sub, scope: "admin", overrides: new Dictionary<string, object?>
        {
            ["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
            ["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
            ["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
        }),
        ["not yet valid"] = (t, jti, sub) => t.Mint(jti: jti, sub: sub, scope: "admin", overrides: new Dictionary<string, object?> { ["nbf"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }),
    };

    public static TheoryData<string> Kinds => [.. Forgeries.Keys];

    /// <summary>Each endpoint that reads a token, and what it answers a token it cannot trust.</summary>
    private static readonly (string Name, Func<string, string, HttpRequestMessage> Request, HttpStatusCode Status, string? Body)[] Endpoints =
    [
        ("GET /me", (token, _) => ApiNode.Get("/me", token), HttpStatusCode.Unauthorized, null),
        ("POST /auth/logout", (token, _) => ApiNode.Post("/auth/logout", token), HttpStatusCode.Unauthorized, null),
        ("POST /auth/logout?everywhere=true", (token, _) => ApiNode.Post("/auth/logout?everywhere=true", token), HttpStatusCode.Unauthorized, null),
        ("GET /admin/tokens/{jti}", (token, jti) => ApiNode.Get($"/admin/tokens/{jti}", token), HttpStatusCode.Unauthorized, null),
        ("POST /oauth2/introspect", (token, _) => ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))), HttpStatusCode.OK, """{"active":false}"""),
        ("POST /oauth2/revoke", (token, _) => ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))), HttpStatusCode.OK, ""),
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ForgedToken_OnEveryEndpoint_ActivatesNoGrain_ReadsAndWritesNothing(string kind)
    {
        var jti = $"forged-{Guid.NewGuid():N}";
        var sub = $"forged-{Guid.NewGuid():N}";
        var token = Forgeries[kind](target.Tokens, jti, sub);
        var before = await SnapshotAsync();

        foreach (var (name, request, status, body) in Endpoints)
        {
            using var message = request(token, jti);
            using var response = await target.Http.SendAsync(message);
            Assert.True(response.StatusCode == status, $"{name} answered {(int)response.StatusCode}, expected {(int)status}");
            if (body is not null)
            {
                Assert.Equal(body, await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(0L, await target.Silos.RowCountAsync(jti));
        Assert.Equal(0, await target.Silos.Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)target.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti)));
        Assert.Equal(0, await target.Silos.Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)target.Silos.Grains.GetSubjectGrain(TestTokens.Issuer, sub)));
    }

    [Fact]
    public async Task ValidToken_DoesActivateItsGrains_SoTheCountsAboveCanSeeOne()
    {
        var before = await SnapshotAsync();

        using var response = await target.Http.SendAsync(ApiNode.Get("/me", target.Tokens.Mint(sub: $"genuine-{Guid.NewGuid():N}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await SnapshotAsync();
        Assert.Equal(before with
        {
            TokenGrains = before.TokenGrains + 1,
            SubjectGrains = before.SubjectGrains + 1,
            Activations = before.Activations + 1,
            StoreReads = before.StoreReads + 1,
            SubjectChecks = before.SubjectChecks + 1,
        }, after);
    }

    private async Task<Snapshot> SnapshotAsync() => new(
        await target.ActiveAsync(target.Silos.Grains.GetTokenGrain(TestTokens.Issuer, "type-probe")),
        await target.ActiveAsync(target.Silos.Grains.GetSubjectGrain(TestTokens.Issuer, "type-probe")),
        target.Counts[ForgeryTarget.Activations],
        target.Counts[ForgeryTarget.StoreReads],
        target.Counts[ForgeryTarget.SubjectChecks],
        await target.Silos.RowCountAsync() + await TestPostgres.ScalarAsync<long>(target.Silos.ConnectionString, "SELECT count(*) FROM OrleansStorage"));

    private static string SwapPayload(string signed, string wanted)
    {
        var parts = signed.Split('.');
        return $"{parts[0]}.{wanted.Split('.')[1]}.{parts[2]}";
    }

    private sealed record Snapshot(int TokenGrains, int SubjectGrains, long Activations, long StoreReads, long SubjectChecks, long Rows);
}
