using Revocation.IntegrationTests.NearCache;

namespace Revocation.IntegrationTests.Issuers;

/// <summary>
/// Two API nodes with near caches (A and B) on two silos, trusting two issuers: the tests' own
/// (<see cref="TestTokens.Issuer"/>, the <c>Jwt</c> section's settings) and <see cref="OtherIssuer"/>
/// (<c>Jwt:Issuers:0</c>, its own HMAC key, the shared audience, <c>typ: at+jwt</c> required).
/// </summary>
public sealed class TwoIssuers : TwoApiNodes
{
    /// <summary>Separators and a realm path in the issuer: nothing a key encoding may trip on.</summary>
    public const string OtherIssuer = "https://other-idp.example/realms/a:b|c";

    /// <summary>The other issuer's keys (its tokens are minted with <see cref="MintOther"/>).</summary>
    public TestTokens Other { get; } = new();

    protected override string Purpose => "two_issuers";

    protected override Dictionary<string, string?> NodeSettings => new()
    {
        ["Jwt:Issuers:0:Issuer"] = OtherIssuer,
        ["Jwt:Issuers:0:SigningKey"] = Other.HmacKeyBase64,
        ["Jwt:Issuers:0:RequireAccessTokenType"] = "true",
    };

    /// <summary>A token of <see cref="OtherIssuer"/>, typed <c>at+jwt</c> unless <paramref name="type"/> says otherwise.</summary>
    public string MintOther(string? jti = null, string sub = "alice", string? scope = null, IDictionary<string, object?>? overrides = null, string type = "at+jwt")
    {
        var claims = new Dictionary<string, object?>(overrides ?? new Dictionary<string, object?>()) { ["iss"] = OtherIssuer };
        return Other.Mint(Other.Hs256, claims, jti, sub, scope, type);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Other.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoIssuersCollection : ICollectionFixture<TwoIssuers>
{
    public const string Name = "two API nodes trusting two issuers";
}
