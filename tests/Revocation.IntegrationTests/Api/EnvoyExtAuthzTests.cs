using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Revocation.Api.Gateway.ExtAuthz;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Envoy's gRPC ext_authz (<c>envoy.service.auth.v3.Authorization/Check</c>): the decision of
/// <c>/auth/forward</c> in Envoy's terms — OK with identity headers that overwrite the client's and
/// removals for the ones the token does not fill; UNAUTHENTICATED with the bearer scheme's 401 and
/// <c>WWW-Authenticate</c> for a missing, forged or revoked token. The UNAVAILABLE/503 under
/// FailClosed: <see cref="RegistryDownTests"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class EnvoyExtAuthzTests(ApiNode api)
{
    private const int Ok = 0;
    private const int Unauthenticated = 16;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcceptedToken_Ok_IdentityHeadersOverwrite_AndAbsentOnesAreRemoved(bool rawHeaders)
    {
        var token = api.Tokens.Mint(sub: "alice@example.org", scope: "orders:read");

        var response = await EnvoyExtAuthz.CheckAsync(api.Factory, EnvoyExtAuthz.Bearer(token), rawHeaders: rawHeaders);

        Assert.Equal(Ok, response.Status.Code);
        Assert.Equal(CheckResponse.HttpResponseOneofCase.OkResponse, response.HttpResponseCase);
        var set = response.OkResponse.Headers.ToDictionary(h => h.Header.Key, h => h.Header.Value);
        Assert.Equal("alice@example.org", set["X-Auth-Subject"]);
        Assert.Equal(TestTokens.JtiOf(token), set["X-Auth-Jti"]);
        Assert.Equal("orders:read", set["X-Auth-Scope"]);
        Assert.All(response.OkResponse.Headers, h => Assert.Equal(HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd, h.AppendAction));
        // No client_id in the token: whatever the client sent as X-Auth-Client-Id must not reach the backend.
        Assert.Equal(["x-auth-client-id"], response.OkResponse.HeadersToRemove);
    }

    [Fact]
    public async Task NoToken_ForgedToken_RevokedToken_Unauthenticated_WithTheBearerSchemes401()
    {
        var forged = api.Tokens.Mint(credentials: new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256));
        var revoked = api.Tokens.Mint();
        using (var logout = await api.SendAsync(ApiNode.Post("/auth/logout", revoked)))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, logout.StatusCode);
        }

        var none = await EnvoyExtAuthz.CheckAsync(api.Factory, new Dictionary<string, string> { ["x-request-id"] = "1" });
        var bad = await EnvoyExtAuthz.CheckAsync(api.Factory, EnvoyExtAuthz.Bearer(forged));
        var gone = await EnvoyExtAuthz.CheckAsync(api.Factory, EnvoyExtAuthz.Bearer(revoked));

        foreach (var response in new[] { none, bad, gone })
        {
            Assert.Equal(Unauthenticated, response.Status.Code);
            Assert.Equal(HttpStatus.Types.StatusCode.Unauthorized, response.DeniedResponse.Status.Code);
        }

        Assert.Equal("Bearer", Header(none, "www-authenticate"));
        Assert.StartsWith("Bearer error=\"invalid_token\"", Header(bad, "www-authenticate"));
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has been revoked\"", Header(gone, "www-authenticate"));
    }

    [Theory]
    [InlineData("Bearer a.b.c")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer ")]
    public async Task MalformedOrOtherSchemeAuthorization_Unauthenticated_NeverOk(string authorization)
    {
        var response = await EnvoyExtAuthz.CheckAsync(api.Factory, new Dictionary<string, string> { ["authorization"] = authorization });

        Assert.Equal(Unauthenticated, response.Status.Code);
        Assert.Equal(CheckResponse.HttpResponseOneofCase.DeniedResponse, response.HttpResponseCase);
        Assert.Equal(HttpStatus.Types.StatusCode.Unauthorized, response.DeniedResponse.Status.Code);
        Assert.StartsWith("Bearer", Header(response, "www-authenticate"));
    }

    [Fact]
    public async Task CheckLargerThanTheBodyLimit_ResourceExhausted_NotAnInternalError()
    {
        var huge = "Bearer " + new string('a', 300 * 1024);

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => EnvoyExtAuthz.CheckAsync(api.Factory, new Dictionary<string, string> { ["authorization"] = huge }));

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, refused.StatusCode);
        // The node goes on answering.
        var next = await EnvoyExtAuthz.CheckAsync(api.Factory, EnvoyExtAuthz.Bearer(api.Tokens.Mint()));
        Assert.Equal(Ok, next.Status.Code);
    }

    private static string Header(CheckResponse response, string name) =>
        response.DeniedResponse.Headers.Single(h => h.Header.Key == name).Header.Value;
}
