using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Revocation.Api.Registry;
using Revocation.Hosting;

namespace Revocation.Api.Oidc;

/// <summary>
/// <c>POST /oidc/backchannel-logout</c>: OpenID Connect Back-Channel Logout 1.0's receiver. The
/// provider posts <c>logout_token=&lt;JWT&gt;</c> form-encoded; the answer is 200 once the revocation
/// is durable and every API node acknowledged it, otherwise 400 with §2.8's error JSON; never cached.
/// Mapped only when a trusted issuer has <c>…:BackchannelLogout:ClientId</c>.
/// </summary>
public static class BackchannelLogoutApi
{
    public const string Path = "/oidc/backchannel-logout";

    /// <summary>A logout token is a few hundred bytes to a few kilobytes; a larger body is no logout request.</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions Form = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = MaxBodyBytes,
        BufferBody = false,
    };

    /// <summary>The receiver's services and options (the per-issuer client ids live in <c>Jwt</c>).</summary>
    public static WebApplicationBuilder AddBackchannelLogout(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<BackchannelLogoutOptions, BackchannelLogoutOptionsValidator>(builder.Configuration.GetSection(BackchannelLogoutOptions.SectionName));
        services.AddSingleton<LogoutTokenValidator>();
        services.AddSingleton<BackchannelLogoutMetrics>();
        services.TryAddSingleton<ReceivedOnce>();
        services.AddSingleton<BackchannelLogoutReceiver>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBackchannelLogoutApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<LogoutTokenValidator>().Enabled)
        {
            app.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("OIDC")
                .WithSummary("OpenID Connect Back-Channel Logout: revoke the session (sid) or the subject (sub) a provider's logout token names.");
        }

        return app;
    }

    private static async Task<Results<Ok, BadRequest<BackchannelLogoutError>>> ReceiveAsync(
        HttpContext context, BackchannelLogoutReceiver receiver, CancellationToken cancellationToken)
    {
        // §2.8: the answer must not be cached, success or error.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        var (token, problem) = await ReadLogoutTokenAsync(context, cancellationToken);
        var refusal = token is null ? null : await receiver.ReceiveAsync(token, cancellationToken);
        if (problem is null && refusal is null)
        {
            return TypedResults.Ok();
        }

        return TypedResults.BadRequest(refusal is not null
            ? new BackchannelLogoutError(refusal.Error, refusal.Description)
            : new BackchannelLogoutError(LogoutTokenRefusal.InvalidRequest, problem!));
    }

    /// <summary>The one <c>logout_token</c> of a form-encoded body of bounded size, or what is wrong with the request.</summary>
    private static async Task<(string? Token, string? Problem)> ReadLogoutTokenAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"The request body is larger than {MaxBodyBytes} bytes.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "The request must be application/x-www-form-urlencoded with a logout_token parameter.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(Form, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, $"The form could not be read (at most {MaxBodyBytes} bytes, {Form.ValueCountLimit} fields).");
        }

        var values = form["logout_token"];
        return values is [{ Length: > 0 } token]
            ? (token, null)
            : (null, "The request must carry exactly one non-empty logout_token parameter.");
    }
}
