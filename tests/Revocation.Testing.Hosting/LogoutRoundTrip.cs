using System.Net;

namespace Revocation.Testing.Hosting;

/// <summary>
/// The flow many API tests start from: a request with the token, its logout, the same request again
/// (on one node, or through <paramref name="after"/> on another). The three responses' statuses and
/// the refusal's challenge; <see cref="AssertRevoked"/> holds the usual outcome.
/// </summary>
public sealed record LogoutRoundTrip(HttpStatusCode Before, HttpStatusCode Logout, HttpStatusCode After, string AfterChallenge)
{
    /// <summary>What a refused revoked token's <c>WWW-Authenticate</c> says.</summary>
    public const string RevokedChallenge = "Bearer error=\"invalid_token\", error_description=\"The token has been revoked\"";

    /// <param name="http">The node the token is used on and logged out through.</param>
    /// <param name="logoutPath">e.g. <c>/auth/logout?everywhere=true</c>.</param>
    /// <param name="after">Where the token is used again (another node); <paramref name="http"/> when null.</param>
    public static async Task<LogoutRoundTrip> RunAsync(HttpClient http, string token, string logoutPath = "/auth/logout", HttpClient? after = null)
    {
        using var before = await http.SendAsync(ApiNode.Get("/me", token));
        using var logout = await http.SendAsync(ApiNode.Post(logoutPath, token));
        using var again = await (after ?? http).SendAsync(ApiNode.Get("/me", token));
        return new LogoutRoundTrip(before.StatusCode, logout.StatusCode, again.StatusCode, again.Headers.WwwAuthenticate.ToString());
    }

    /// <summary>Accepted, logged out (204), then refused as revoked.</summary>
    public void AssertRevoked()
    {
        Assert.Equal(HttpStatusCode.OK, Before);
        Assert.Equal(HttpStatusCode.NoContent, Logout);
        Assert.Equal(HttpStatusCode.Unauthorized, After);
        Assert.Equal(RevokedChallenge, AfterChallenge);
    }
}
