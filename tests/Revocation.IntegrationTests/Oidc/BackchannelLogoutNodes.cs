using Revocation.Api.Oidc;
using Revocation.IntegrationTests.NearCache;

namespace Revocation.IntegrationTests.Oidc;

/// <summary>
/// Two API nodes with near caches (A and B) on two silos, receiving back-channel logout from the
/// tests' own issuer (<c>Jwt:BackchannelLogout:ClientId</c>); logout tokens are minted with its RSA key.
/// </summary>
public sealed class BackchannelLogoutNodes : TwoApiNodes
{
    /// <summary>The client id the "provider" knows the registry by: a logout token's <c>aud</c>.</summary>
    public const string ClientId = "registry-rp";

    public LogoutTokens Logout => new(Tokens, ClientId);

    protected override string Purpose => "backchannel";

    protected override Dictionary<string, string?> NodeSettings => new()
    {
        ["Jwt:BackchannelLogout:ClientId"] = ClientId,
    };

    /// <summary>Posts <paramref name="logoutToken"/> as a provider does.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient node, string logoutToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BackchannelLogoutApi.Path)
        {
            Content = ApiNode.Form(("logout_token", logoutToken)),
        };
        return await node.SendAsync(request);
    }
}

[CollectionDefinition(Name)]
public sealed class BackchannelLogoutCollection : ICollectionFixture<BackchannelLogoutNodes>
{
    public const string Name = "two API nodes receiving back-channel logout";
}
