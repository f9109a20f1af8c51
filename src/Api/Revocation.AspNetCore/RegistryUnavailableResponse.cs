using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Revocation.AspNetCore;

/// <summary>The fail-closed answer when the registry cannot be asked.</summary>
internal static class RegistryUnavailableResponse
{
    /// <summary>503 with a ProblemDetails body: the registry could not be asked.</summary>
    public static async Task WriteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Revocation registry unavailable",
            Detail = "The token could not be checked against the revocation registry. Retry shortly.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        };
        var writer = httpContext.RequestServices.GetService<IProblemDetailsService>();
        if (writer is null || !await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }))
        {
            await httpContext.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }
}
