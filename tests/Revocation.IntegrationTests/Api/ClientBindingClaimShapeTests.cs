using System.Net;
using System.Text.Json;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// RFC 7009 §2.1 / RFC 7662 §4 bind revocation and introspection to the client a token was issued
/// to, named by a string <c>client_id</c> (RFC 9068) or <c>azp</c>. A token that names its client in
/// any other form (an array, a number, an object, null) names no client this registry can match:
/// every client is refused (400 <c>unauthorized_client</c>, "inactive"), nothing is written, and
/// nothing answers 500. Before, such a claim was read as "names no client" and any client could
/// revoke and introspect the token.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ClientBindingClaimShapeTests(ApiNode api)
{
    public static TheoryData<string, string> Shapes => new()
    {
        { "client_id", $"[\"{OAuthTestClients.ClientId}\"]" },
        { "client_id", $"[\"{OAuthTestClients.OtherClientId}\",\"{OAuthTestClients.ClientId}\"]" },
        { "client_id", "[]" },
        { "client_id", "42" },
        { "client_id", "true" },
        { "client_id", $"{{\"id\":\"{OAuthTestClients.ClientId}\"}}" },
        { "client_id", "null" },
        { "azp", "null" }, // the library reads a null azp as absent; other odd azp values make the token invalid (below)
        // A string client_id is what counts, whatever azp says; an odd client_id is not skipped for a matching azp.
        { "client_id", $"[\"{OAuthTestClients.ClientId}\"],\"azp\":\"{OAuthTestClients.ClientId}\"" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Revoke_ClientClaimThatIsNotAString_Is400UnauthorizedClient_AndWritesNothing(string claim, string json)
    {
        var (token, jti) = Mint(claim, json);
        var before = await CountRowsAsync();

        foreach (var (client, secret) in Clients)
        {
            using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token)), client, secret));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("unauthorized_client", body.RootElement.GetProperty("error").GetString());
        }

        Assert.Equal(0, await api.Silos.RowCountAsync(jti));
        Assert.Equal(before, await CountRowsAsync());
        using var me = await api.SendAsync(ApiNode.Get("/me", token));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode); // refused, so still valid for its bearer
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Introspect_ClientClaimThatIsNotAString_IsInactiveForEveryClient(string claim, string json)
    {
        var (token, _) = Mint(claim, json);
        var before = await CountRowsAsync();

        foreach (var (client, secret) in Clients)
        {
            using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token)), client, secret));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"active":false}""", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(before, await CountRowsAsync());
    }

    /// <summary>The JWT library refuses a token whose <c>azp</c> is not a string: an invalid token, which RFC 7009 answers with 200.</summary>
    [Theory]
    [InlineData("[\"client-a\"]")]
    [InlineData("7")]
    public async Task AzpThatIsNotAString_MakesTheTokenInvalid_200AndNothingWritten(string json)
    {
        var (token, jti) = Mint("azp", json);
        var before = await CountRowsAsync();

        using var me = await api.SendAsync(ApiNode.Get("/me", token));
        using var revoke = await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))));
        using var introspect = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("""{"active":false}""", await introspect.Content.ReadAsStringAsync());
        Assert.Equal(0, await api.Silos.RowCountAsync(jti));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task StringClientId_StillBindsToThatClient()
    {
        // The control for the cases above: the same raw minting with a plain string is honoured.
        var (token, jti) = Mint("client_id", $"\"{OAuthTestClients.ClientId}\"");

        using var other = await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token)), OAuthTestClients.OtherClientId, OAuthTestClients.OtherClientSecret));
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(0, await api.Silos.RowCountAsync(jti));

        using var owner = await api.SendAsync(ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", token))));
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal(1, await api.Silos.RowCountAsync(jti));
    }

    private static readonly (string Client, string Secret)[] Clients =
    [
        (OAuthTestClients.ClientId, OAuthTestClients.ClientSecret),
        (OAuthTestClients.OtherClientId, OAuthTestClients.OtherClientSecret),
    ];

    private (string Token, string Jti) Mint(string claim, string json)
    {
        var jti = $"client-shape-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = api.Tokens.MintRaw(
            $"{{\"iss\":\"{TestTokens.Issuer}\",\"aud\":\"{TestTokens.Audience}\",\"sub\":\"client-shape\",\"jti\":\"{jti}\"," +
            $"\"iat\":{now},\"nbf\":{now},\"exp\":{now + 900},\"{claim}\":{json}}}");
        return (token, jti);
    }

    /// <summary>Every table a revocation or introspection could write: the token rows and the subject rows.</summary>
    private async Task<long> CountRowsAsync() =>
        await TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString, "SELECT (SELECT count(*) FROM revoked_tokens) + (SELECT count(*) FROM OrleansStorage)");
}
