using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Revocation.Api.OAuth;

/// <summary>OAuth error responses (RFC 6749 §5.2): <c>{"error", "error_description"}</c>, never cached.</summary>
public static class OAuthResults
{
    public static IResult InvalidClient(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"revocation-registry\"";
        return Error(StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed.", context);
    }

    public static IResult UnauthorizedClient(HttpContext context, string description) =>
        Error(StatusCodes.Status400BadRequest, "unauthorized_client", description, context);

    public static IResult InvalidRequest(HttpContext context, string description) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request", description, context);

    public static IResult NoStore<T>(HttpContext context, T body)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(body);
    }

    private static JsonHttpResult<OAuthError> Error(int status, string error, string description, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new OAuthError(error, description), statusCode: status);
    }

    public sealed record OAuthError(
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("error_description")] string Description);
}
