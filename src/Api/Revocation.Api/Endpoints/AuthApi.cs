using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Revocation.Api.Authentication;
using Revocation.Api.Issuing;
using Revocation.Api.Registry;
using Revocation.AspNetCore;

namespace Revocation.Api.Endpoints;

/// <summary><c>/auth/token</c> (development issuer), <c>/auth/logout</c> and the protected sample <c>/me</c>.</summary>
public static class AuthApi
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The OpenID Connect session id claim, as JwtBearer maps it (not at all: the inbound claim map is off).</summary>
    private const string SessionClaim = "sid";

    /// <summary>The logout's query keys: all of the subject's tokens, or all of the session's.</summary>
    private const string EverywhereKey = "everywhere", SessionKey = "session";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var environment = app.ServiceProvider.GetRequiredService<IHostEnvironment>();
        var issuer = app.ServiceProvider.GetRequiredService<IOptions<IssuerOptions>>().Value;
        var auth = app.MapGroup("/auth").WithTags("Auth");
        if (issuer.IsOn(environment))
        {
            auth.MapPost("/token", IssueToken).AllowAnonymous()
                .WithSummary("Issue a development token (Development only; on unless Issuer:Enabled=false).");
            ApiLog.DevelopmentIssuerOn(app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevTokenIssuer).FullName!), environment.EnvironmentName);
        }

        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().WithoutRevocationCheck(IsPlainLogout)
            .WithSummary("Revoke the presented bearer token until it expires; with everywhere=true, every token of its subject issued so far; with session=true, every token of its session (sid).");
        app.MapGet("/me", Me).RequireAuthorization().WithTags("Sample")
            .WithSummary("A protected sample endpoint.");
        if (CheckFloorEndpoint.IsOn(app.ServiceProvider.GetRequiredService<IConfiguration>(), environment))
        {
            app.MapGet(CheckFloorEndpoint.Path, Me).RequireAuthorization().WithoutRevocationCheck().ExcludeFromDescription();
        }
        return app;
    }

    /// <summary>
    /// A logout of the presented token alone is authenticated without the revocation check: it asks
    /// for nothing but its own token's revocation, which is idempotent — a revoked token's logout
    /// keeps the row's first revoked_at and reason, and can only lengthen its expiry up to the token's
    /// own exp, which the token cannot outlive anyway. Checking first would cost a grain call, and for
    /// a token its node has not cached a database read, to decide whether to refuse a request that
    /// changes nothing. With <c>everywhere</c> or <c>session</c> present (whatever its value) the check
    /// runs: a revoked token must not end its subject's or its session's other tokens.
    /// </summary>
    private static bool IsPlainLogout(HttpRequest request) =>
        !request.Query.ContainsKey(EverywhereKey) && !request.Query.ContainsKey(SessionKey);

    private static Results<Ok<TokenResponse>, ValidationProblem> IssueToken(TokenRequest request, DevTokenIssuer issuer)
    {
        var errors = issuer.Validate(request);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(issuer.Issue(request));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(
        ClaimsPrincipal user, RegistryCalls registry, CancellationToken cancellationToken, [FromQuery(Name = EverywhereKey)] bool everywhere = false, [FromQuery(Name = SessionKey)] bool session = false)
    {
        if (everywhere && session)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Choose one logout",
                detail: "everywhere=true revokes every token of the subject, session=true every token of the session: ask for one of them.");
        }

        if (session)
        {
            if (user.FindFirstValue(SessionClaim) is not { Length: > 0 } sid)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Token has no session",
                    detail: "session=true revokes the tokens of the token's session, and this token has no sid claim.");
            }

            await registry.RevokeSessionAsync(IssuerOf(user), sid, "logout_session", "logout_session", cancellationToken);
            return TypedResults.NoContent();
        }

        if (everywhere)
        {
            if (user.FindFirstValue(JwtRegisteredClaimNames.Sub) is not { } sub)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Token has no subject",
                    detail: "everywhere=true revokes the tokens of the token's subject, and this token has no sub claim.");
            }

            await registry.RevokeSubjectAsync(IssuerOf(user), sub, "logout_everywhere", cancellationToken);
            return TypedResults.NoContent();
        }

        var jti = user.FindFirstValue(JwtRegisteredClaimNames.Jti);
        var exp = user.FindFirstValue(JwtRegisteredClaimNames.Exp);
        if (jti is null || !long.TryParse(exp, out var expSeconds))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Token cannot be revoked",
                detail: "The token has no jti or exp claim, so there is nothing to revoke.");
        }

        // JwtBearer accepts an exp beyond what a DateTimeOffset holds (it reads it as "never expires").
        var expiresAt = expSeconds > MaxUnixSeconds ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(expSeconds);
        await registry.RevokeAsync(IssuerOf(user), jti, expiresAt, "logout", "logout", cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The token's issuer, which scopes its jti and sub (none: the empty issuer, as the check keys it).</summary>
    private static string IssuerOf(ClaimsPrincipal user) => user.FindFirstValue(JwtRegisteredClaimNames.Iss) ?? "";

    private static Ok<MeResponse> Me(ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(
        user.FindFirstValue(JwtRegisteredClaimNames.Sub),
        user.FindFirstValue(JwtRegisteredClaimNames.Jti),
        long.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Exp), out var exp) ? exp : null));

    public sealed record MeResponse(string? Sub, string? Jti, long? Exp);
}
