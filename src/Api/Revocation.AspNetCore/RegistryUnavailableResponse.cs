using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Revocation.AspNetCore;

/// <summary>
/// The 503 when the registry cannot be asked: the check's fail-closed answer, and the API node's
/// answer to a revocation the registry did not complete (<c>RegistryExceptionHandler</c>).
/// </summary>
internal static class RegistryUnavailableResponse
{
    /// <summary>Seconds a client is told to wait before it retries (<c>Retry-After</c>).</summary>
    public const string RetryAfterSeconds = "1";

    /// <summary>The ProblemDetails body of the 503; <paramref name="detail"/> says what could not be done.</summary>
    public static ProblemDetails Problem(string detail) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Revocation registry unavailable",
        Detail = detail,
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
    };

    /// <summary>503 with a ProblemDetails body: the token could not be checked.</summary>
    public static async Task WriteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        var problem = Problem("The token could not be checked against the revocation registry. Retry shortly.");
        var writer = httpContext.RequestServices.GetService<IProblemDetailsService>();
        if (writer is null || !await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }))
        {
            await httpContext.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }
}
