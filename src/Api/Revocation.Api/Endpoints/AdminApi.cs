using Microsoft.AspNetCore.Http.HttpResults;
using Revocation.Abstractions;
using Revocation.Api.Authentication;
using Revocation.Api.Registry;

namespace Revocation.Api.Endpoints;

/// <summary>Operator endpoints; every one requires a token with the <c>admin</c> scope.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/admin/tokens/{jti}").WithTags("Admin").RequireAuthorization(TokenAuthenticationExtensions.AdminPolicy);
        tokens.MapGet("/", GetStatusAsync).WithSummary("A token's revocation status.");
        tokens.MapPost("/revoke", RevokeAsync).WithSummary("Revoke a token by jti until expiresAt.");
        tokens.MapPost("/evict", EvictAsync).WithSummary("Deactivate the token's grain (clear its cached answer).");
        return app;
    }

    private static async Task<Ok<TokenStatus>> GetStatusAsync(string jti, RegistryCalls registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.GetStatusAsync(jti, cancellationToken));

    private static async Task<Results<Ok<TokenStatus>, ValidationProblem>> RevokeAsync(
        string jti, AdminRevokeRequest request, RegistryCalls registry, CancellationToken cancellationToken)
    {
        if (request.ExpiresAt is not { } expiresAt)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["expiresAt"] = ["expiresAt is required: the token's exp, until which the revocation is kept."],
            });
        }

        return TypedResults.Ok(await registry.RevokeAsync(jti, expiresAt, request.Reason, cancellationToken));
    }

    private static async Task<NoContent> EvictAsync(string jti, RegistryCalls registry, CancellationToken cancellationToken)
    {
        await registry.EvictAsync(jti, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Body of <c>POST /admin/tokens/{jti}/revoke</c>. Unknown fields are refused.</summary>
    public sealed record AdminRevokeRequest(DateTimeOffset? ExpiresAt, string? Reason);
}
