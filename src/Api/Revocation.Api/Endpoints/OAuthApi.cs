using System.Text.Json.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;
using Revocation.Api.Authentication;
using Revocation.Api.OAuth;
using Revocation.Api.Registry;
using Revocation.AspNetCore;

namespace Revocation.Api.Endpoints;

/// <summary>RFC 7009 token revocation and RFC 7662 token introspection, for authenticated clients.</summary>
public static class OAuthApi
{
    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder app)
    {
        var oauth = app.MapGroup("/oauth2").WithTags("OAuth").AllowAnonymous().RequireRateLimiting(OAuthRateLimitPolicy.Name);
        oauth.MapPost("/revoke", RevokeAsync).WithSummary("RFC 7009 token revocation (HTTP Basic client authentication).");
        oauth.MapPost("/introspect", IntrospectAsync).WithSummary("RFC 7662 token introspection (HTTP Basic client authentication).");
        return app;
    }

    /// <summary>
    /// 200 for a revoked, unknown, malformed or expired token alike (§2.2): there is nothing to
    /// tell the client. 200 for a valid token only once its revocation is durable; 503 otherwise;
    /// 400 <c>unauthorized_client</c> for a valid token issued to another client.
    /// </summary>
    private static async Task<IResult> RevokeAsync(
        HttpContext context, ClientAuthenticator clients, TokenValidator validator, RegistryCalls registry)
    {
        if (clients.Authenticate(context) is not { } clientId)
        {
            return OAuthResults.InvalidClient(context);
        }

        var (token, error) = await TokenForm.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        // token_type_hint is optional and only an optimisation: there is one token type here.
        var valid = await validator.ValidateAsync(token!, context.RequestAborted);
        if (valid is not null && IssuedToAnotherClient(valid.Token, clientId))
        {
            return OAuthResults.UnauthorizedClient(context, "The token was not issued to this client.");
        }

        if (valid?.Token.Id is { Length: > 0 } jti && Revocation.Abstractions.TokenInput.CheckJti(jti) is null)
        {
            await registry.RevokeAsync(valid.Token.Issuer ?? "", jti, valid.Token.ValidTo, $"oauth2/revoke by client {clientId}", "oauth2_revoke", context.RequestAborted);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }

    /// <summary>
    /// RFC 7009 §2.1: a client revokes only tokens issued to it; RFC 7662 §4: it introspects only
    /// those (<see cref="TokenClient"/>). A token naming no client can be revoked and introspected by
    /// any authenticated client; one whose client claim is not a single string, by none.
    /// </summary>
    private static bool IssuedToAnotherClient(JsonWebToken token, string clientId) => !TokenClient.Allows(token, clientId);

    /// <summary>
    /// Inactive for revoked, expired, invalid or unknown tokens, with no reason given (§2.2), and
    /// for tokens issued to another client: a client learns nothing about tokens that are not its
    /// own (§4), bound the same way as revocation (<see cref="IssuedToAnotherClient"/>).
    /// </summary>
    private static async Task<IResult> IntrospectAsync(
        HttpContext context, ClientAuthenticator clients, TokenValidator validator, RevocationChecker checker)
    {
        if (clients.Authenticate(context) is not { } clientId)
        {
            return OAuthResults.InvalidClient(context);
        }

        var (token, error) = await TokenForm.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        // Another client's token is answered before the registry is asked: the answer must not
        // depend on (and so reveal) whether that token is revoked.
        if (await validator.ValidateAsync(token!, context.RequestAborted) is not { } valid
            || IssuedToAnotherClient(valid.Token, clientId))
        {
            return OAuthResults.NoStore(context, Introspection.Inactive);
        }

        switch (await checker.IntrospectAsync(TokenIdentity.From(valid.Token), valid.ClockSkew, context.RequestAborted))
        {
            case RevocationVerdict.NotRevoked:
                return OAuthResults.NoStore(context, Introspection.Active(valid.Token));
            case RevocationVerdict.Unavailable:
                await RegistryUnavailableResponse.WriteAsync(context);
                return TypedResults.Empty;
            default:
                return OAuthResults.NoStore(context, Introspection.Inactive);
        }
    }

    /// <summary>An RFC 7662 §2.2 response.</summary>
    public sealed record Introspection(
        [property: JsonPropertyName("active")] bool IsActive,
        [property: JsonPropertyName("sub")] string? Sub = null,
        [property: JsonPropertyName("jti")] string? Jti = null,
        [property: JsonPropertyName("exp")] long? Exp = null,
        [property: JsonPropertyName("iat")] long? Iat = null,
        [property: JsonPropertyName("nbf")] long? Nbf = null,
        [property: JsonPropertyName("iss")] string? Iss = null,
        [property: JsonPropertyName("aud")] string? Aud = null,
        [property: JsonPropertyName("scope")] string? Scope = null,
        [property: JsonPropertyName("token_type")] string? TokenType = null)
    {
        public static Introspection Inactive { get; } = new(false);

        public static Introspection Active(JsonWebToken token) => new(
            true,
            token.Subject,
            token.Id,
            Seconds(token, JwtRegisteredClaimNames.Exp),
            Seconds(token, JwtRegisteredClaimNames.Iat),
            Seconds(token, JwtRegisteredClaimNames.Nbf),
            token.Issuer,
            string.Join(' ', token.Audiences),
            token.TryGetPayloadValue<string>("scope", out var scope) ? scope : null,
            "Bearer");

        private static long? Seconds(JsonWebToken token, string claim) =>
            token.TryGetPayloadValue<long>(claim, out var value) ? value : null;
    }
}
