using Microsoft.AspNetCore.Http.HttpResults;
using Revocation.Abstractions;
using Revocation.Api.Authentication;
using Revocation.Api.Registry;

namespace Revocation.Api.Endpoints;

/// <summary>
/// Operator endpoints; every one requires a token with the <c>admin</c> scope. A jti, a sub and a sid are
/// unique only per issuer: the query parameter <c>iss</c> names it, and may be left out while the
/// node trusts one issuer (<see cref="AdminIssuer"/>).
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/admin/tokens/{jti}").WithTags("Admin").RequireAuthorization(TokenAuthenticationExtensions.AdminPolicy);
        tokens.MapGet("/", GetStatusAsync).WithSummary("A token's revocation status.");
        tokens.MapPost("/revoke", RevokeAsync).WithSummary("Revoke a token by jti until expiresAt.");
        tokens.MapPost("/evict", EvictAsync).WithSummary("Deactivate the token's grain (clear its cached answer).");

        var subjects = app.MapGroup("/admin/subjects/{sub}").WithTags("Admin").RequireAuthorization(TokenAuthenticationExtensions.AdminPolicy);
        subjects.MapGet("/", GetSubjectAsync).WithSummary("A subject's not-before: its tokens issued earlier are revoked.");
        subjects.MapPost("/revoke", RevokeSubjectAsync).WithSummary("Revoke every token of the subject issued until now (log out everywhere).");

        var sessions = app.MapGroup("/admin/sessions/{sid}").WithTags("Admin").RequireAuthorization(TokenAuthenticationExtensions.AdminPolicy);
        sessions.MapGet("/", GetSessionAsync).WithSummary("A session's revocation status.");
        sessions.MapPost("/revoke", RevokeSessionAsync).WithSummary("Revoke every token of the session (sid) of the issuer; other sessions of the user keep working.");

        var sweeper = app.MapGroup("/admin/sweeper").WithTags("Admin").RequireAuthorization(TokenAuthenticationExtensions.AdminPolicy);
        sweeper.MapGet("/", GetLastSweepAsync).WithSummary("The sweeper's last run: started, finished, rows, batches, error.");
        sweeper.MapPost("/run", RunSweepAsync).WithSummary("Sweep expired rows now; returns the run.");
        return app;
    }

    private static async Task<Results<Ok<TokenStatus>, ValidationProblem>> GetStatusAsync(
        string jti, string? iss, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken) =>
        issuers.Resolve(iss, out var issuer) is { } problem
            ? problem
            : TypedResults.Ok(await registry.GetStatusAsync(issuer, jti, cancellationToken));

    private static async Task<Results<Ok<TokenStatus>, ValidationProblem>> RevokeAsync(
        string jti, string? iss, AdminRevokeRequest request, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken)
    {
        if (issuers.Resolve(iss, out var issuer) is { } problem)
        {
            return problem;
        }

        if (request.ExpiresAt is not { } expiresAt)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["expiresAt"] = ["expiresAt is required: the token's exp, until which the revocation is kept."],
            });
        }

        return TypedResults.Ok(await registry.RevokeAsync(issuer, jti, expiresAt, request.Reason, "admin_token", cancellationToken));
    }

    private static async Task<Results<NoContent, ValidationProblem>> EvictAsync(
        string jti, string? iss, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken)
    {
        if (issuers.Resolve(iss, out var issuer) is { } problem)
        {
            return problem;
        }

        await registry.EvictAsync(issuer, jti, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SubjectStatus>, ValidationProblem>> GetSubjectAsync(
        string sub, string? iss, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken) =>
        issuers.Resolve(iss, out var issuer) is { } problem
            ? problem
            : TypedResults.Ok(await registry.GetSubjectAsync(issuer, sub, cancellationToken));

    private static async Task<Results<Ok<SubjectStatus>, ValidationProblem>> RevokeSubjectAsync(
        string sub, string? iss, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken) =>
        issuers.Resolve(iss, out var issuer) is { } problem
            ? problem
            : TypedResults.Ok(await registry.RevokeSubjectAsync(issuer, sub, "admin_subject", cancellationToken));

    private static async Task<Results<Ok<TokenStatus>, ValidationProblem>> GetSessionAsync(
        string sid, string? iss, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken) =>
        issuers.Resolve(iss, out var issuer) is { } problem
            ? problem
            : TypedResults.Ok(await registry.GetSessionAsync(issuer, sid, cancellationToken));

    private static async Task<Results<Ok<TokenStatus>, ValidationProblem>> RevokeSessionAsync(
        string sid, string? iss, AdminIssuer issuers, RegistryCalls registry, CancellationToken cancellationToken) =>
        issuers.Resolve(iss, out var issuer) is { } problem
            ? problem
            : TypedResults.Ok(await registry.RevokeSessionAsync(issuer, sid, "admin", "admin_session", cancellationToken));

    private static async Task<Results<Ok<SweepReport>, ProblemHttpResult>> GetLastSweepAsync(RegistryCalls registry, CancellationToken cancellationToken) =>
        await registry.GetLastSweepAsync(cancellationToken) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No sweep yet",
                detail: "No sweep has run since the sweeper grain was last activated.");

    private static async Task<Ok<SweepReport>> RunSweepAsync(RegistryCalls registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.SweepAsync(cancellationToken));

    /// <summary>Body of <c>POST /admin/tokens/{jti}/revoke</c>. Unknown fields are refused.</summary>
    public sealed record AdminRevokeRequest(DateTimeOffset? ExpiresAt, string? Reason);
}
