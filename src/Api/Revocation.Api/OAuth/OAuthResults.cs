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

    /// <summary>
    /// 429 with <c>Retry-After</c> (RFC 6585 §4). RFC 6749 registers no error code for it;
    /// <c>temporarily_unavailable</c> is its closest, and the status and header are what a client acts on.
    /// </summary>
    public static IResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status429TooManyRequests, "temporarily_unavailable", $"Too many requests; retry after {seconds} s.", context);
    }

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
