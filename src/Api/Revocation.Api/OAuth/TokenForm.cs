using Microsoft.Net.Http.Headers;

namespace Revocation.Api.OAuth;

/// <summary>The <c>token</c> field of an RFC 7009 / RFC 7662 request body.</summary>
public static class TokenForm
{
    /// <summary>The token, or the OAuth error to answer with.</summary>
    public static async Task<(string? Token, IResult? Error)> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthResults.InvalidRequest(context, "The body must be application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return (null, OAuthResults.InvalidRequest(context, "The form is malformed or exceeds its limits."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, TypedResults.StatusCode(ex.StatusCode));
        }

        var token = form["token"];
        if (token.Count != 1 || string.IsNullOrEmpty(token[0]))
        {
            return (null, OAuthResults.InvalidRequest(context, "The token parameter is required, exactly once."));
        }

        return (token[0], null);
    }
}
