using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Revocation.Abstractions;
using Revocation.Api.Registry;
using Revocation.AspNetCore;

namespace Revocation.Api.Hosting;

/// <summary>
/// Registry failures become 503, input the registry refuses 400 and a subject-wide or session
/// revocation this node's check mode cannot enforce 409, all as
/// ProblemDetails; anything else falls through to the generic 500 (no stack trace either way).
/// </summary>
internal sealed class RegistryExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            RegistryCallFailedException => RegistryUnavailableResponse.Problem(
                "The registry did not complete the call; nothing was acknowledged. Retry shortly."),
            UnenforceableRevocationException unsupported => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = unsupported.Title,
                Detail = unsupported.Message,
            },
            TokenInputException input => new ValidationProblemDetails(new Dictionary<string, string[]> { [input.Field] = [input.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Invalid input",
            },
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RegistryUnavailableResponse.RetryAfterSeconds;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
