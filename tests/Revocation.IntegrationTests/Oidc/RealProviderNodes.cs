using Revocation.IntegrationTests.NearCache;

namespace Revocation.IntegrationTests.Oidc;

/// <summary>
/// Two API nodes (A and B, near caches, one silo cluster) trusting a real OpenID Provider
/// (<see cref="OidcProvider"/>: its discovery and JWKS, <c>at+jwt</c> required, back-channel logout
/// on under its client id), which posts its logout tokens to node A.
/// </summary>
public sealed class RealProviderNodes : TwoApiNodes, IAsyncLifetime
{
    private readonly int _port = OidcProvider.ReservePort();

    public OidcProvider Provider { get; private set; } = null!;

    protected override string Purpose => "oidc_provider";

    private string Issuer => $"http://127.0.0.1:{_port}";

    protected override Dictionary<string, string?> NodeSettings => new()
    {
        ["Jwt:Issuers:0:Issuer"] = Issuer,
        ["Jwt:Issuers:0:Audience"] = OidcProvider.Resource,
        ["Jwt:Issuers:0:Authority"] = Issuer,
        ["Jwt:Issuers:0:RequireHttpsMetadata"] = "false", // a loopback provider of the test only
        ["Jwt:Issuers:0:RequireAccessTokenType"] = "true",
        ["Jwt:Issuers:0:BackchannelLogout:ClientId"] = OidcProvider.ClientId,
    };

    /// <summary>The nodes first (the provider must know where to post), then the provider.</summary>
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = await OidcProvider.StartAsync(_port, new Uri(A.BaseAddress!, Revocation.Api.Oidc.BackchannelLogoutApi.Path));
    }

    public override async Task DisposeAsync()
    {
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RealProviderCollection : ICollectionFixture<RealProviderNodes>
{
    public const string Name = "two API nodes and a real OpenID Provider";
}
