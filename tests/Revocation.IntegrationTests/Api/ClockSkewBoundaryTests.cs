using System.Net.Http.Json;
using System.Net;
using Revocation.Api.Authentication;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// A node accepts a token until <c>exp</c> plus <c>Jwt:ClockSkew</c>, so every revocation path holds
/// the revocation until exactly that instant: reaching the registry a tick before it, the revocation
/// is recorded until it; at it or after, nothing is left to revoke. The silo's clock is set to the
/// instant the revocation arrives; the token is past its <c>exp</c> and inside the skew in real time.
/// </summary>
public sealed class ClockSkewBoundaryTests(FakeClockApiNode api) : IClassFixture<FakeClockApiNode>
{
    private static readonly TimeSpan Skew = new JwtOptions().ClockSkew; // the API node runs with the default

    public static TheoryData<string> RevocationPaths => ["logout", "oauth2/revoke", "admin"];

    [Theory]
    [MemberData(nameof(RevocationPaths))]
    public async Task Revocation_ArrivingATickBeforeExpPlusSkew_IsHeldUntilExactlyExpPlusSkew(string path)
    {
        var (token, exp) = MintPastExp();
        api.Clock.SetUtcNow(exp + Skew - TimeSpan.FromTicks(1));

        using var revoke = await api.SendAsync(Revoke(path, token, exp));
        using var after = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.True(revoke.IsSuccessStatusCode, $"{path} answered {(int)revoke.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal((exp + Skew).UtcDateTime, await TestPostgres.ScalarAsync<DateTime>(
            api.Silos.ConnectionString, "SELECT expires_at FROM revoked_tokens WHERE jti = $1", TestTokens.JtiOf(token)));
    }

    [Theory]
    [MemberData(nameof(RevocationPaths))]
    public async Task Revocation_ArrivingAtExactlyExpPlusSkew_RecordsNothing(string path)
    {
        var (token, exp) = MintPastExp();
        api.Clock.SetUtcNow(exp + Skew);

        using var revoke = await api.SendAsync(Revoke(path, token, exp));

        Assert.True(revoke.IsSuccessStatusCode, $"{path} answered {(int)revoke.StatusCode}");
        Assert.Equal(0, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    /// <summary>
    /// A token whose <c>exp</c> (a whole second) passed a few seconds ago in real time, so the node
    /// still accepts it, and whose last accepted instant lies ahead of the silo's clock.
    /// </summary>
    private (string Token, DateTimeOffset Exp) MintPastExp()
    {
        var recent = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10;
        var aheadOfTheSilo = (api.Clock.GetUtcNow() - Skew).ToUnixTimeSeconds() + 1;
        var exp = DateTimeOffset.FromUnixTimeSeconds(Math.Max(recent, aheadOfTheSilo));
        var token = api.Tokens.Mint(overrides: new Dictionary<string, object?>
        {
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["iat"] = exp.AddMinutes(-5).ToUnixTimeSeconds(),
            ["nbf"] = exp.AddMinutes(-5).ToUnixTimeSeconds(),
        });
        return (token, exp);
    }

    private HttpRequestMessage Revoke(string path, string token, DateTimeOffset exp)
    {
        switch (path)
        {
            case "logout":
                return ApiNode.Post("/auth/logout", token);
            case "oauth2/revoke":
                return ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token)));
            default:
                var request = ApiNode.Post($"/admin/tokens/{TestTokens.JtiOf(token)}/revoke", api.Tokens.Mint(scope: "admin"));
                request.Content = JsonContent.Create(new { expiresAt = exp, reason = "skew boundary" });
                return request;
        }
    }
}
