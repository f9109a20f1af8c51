using System.Net.Http.Json;
using System.Net;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// A node accepts a token for <c>Jwt:ClockSkew</c> (30 s) past its <c>exp</c>: a revocation made in
/// that window must hold until the window closes, on every path that revokes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ClockSkewRevocationTests(ApiNode api)
{
    public static TheoryData<string> RevocationPaths => ["logout", "oauth2/revoke", "admin"];

    [Theory]
    [MemberData(nameof(RevocationPaths))]
    public async Task RevokeOfATokenPastExpButWithinTheSkew_IsEnforced(string path)
    {
        var exp = DateTimeOffset.UtcNow.AddSeconds(-10);
        var token = api.Tokens.Mint(overrides: new Dictionary<string, object?>
        {
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["iat"] = exp.AddMinutes(-5).ToUnixTimeSeconds(),
            ["nbf"] = exp.AddMinutes(-5).ToUnixTimeSeconds(),
        });
        using var before = await api.SendAsync(ApiNode.Get("/me", token));

        using var revoke = await api.SendAsync(path switch
        {
            "logout" => ApiNode.Post("/auth/logout", token),
            "oauth2/revoke" => ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))),
            _ => AdminRevoke(TestTokens.JtiOf(token), exp),
        });
        using var after = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(revoke.IsSuccessStatusCode, $"{path} answered {(int)revoke.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(1, await api.Silos.RowCountAsync(TestTokens.JtiOf(token)));
    }

    private HttpRequestMessage AdminRevoke(string jti, DateTimeOffset exp)
    {
        var request = ApiNode.Post($"/admin/tokens/{jti}/revoke", api.AdminToken());
        request.Content = JsonContent.Create(new { expiresAt = exp, reason = "skew window" });
        return request;
    }
}
