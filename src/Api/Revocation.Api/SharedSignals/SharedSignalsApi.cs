using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Revocation.Api.Registry;
using Revocation.AspNetCore;
using Revocation.Hosting;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// <c>POST /ssf/events</c>: the Shared Signals push receiver (RFC 8935). A transmitter posts one SET
/// (<c>Content-Type: application/secevent+jwt</c>); the answer is 202 once every revocation it asks
/// is durable and acknowledged by every API node, 400 with <c>{"err", "description"}</c> when the
/// request or the SET is at fault, 503 when nothing could be confirmed (deliver it again). Mapped
/// only when <c>SharedSignals:Transmitters</c> lists a transmitter.
/// </summary>
public static class SharedSignalsApi
{
    /// <summary>Where transmitters push SETs (the stream's delivery <c>endpoint_url</c>).</summary>
    public const string Path = "/ssf/events";

    private const string SetMediaType = "application/secevent+jwt";

    public static WebApplicationBuilder AddSharedSignals(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SharedSignalsOptions, SharedSignalsOptionsValidator>(builder.Configuration.GetSection(SharedSignalsOptions.SectionName));
        services.AddSingleton<SecurityEventTokenValidator>();
        services.AddSingleton<SharedSignalsMetrics>();
        services.TryAddSingleton<ReceivedOnce>();
        services.AddSingleton<SharedSignalsReceiver>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSharedSignalsApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<SharedSignalsOptions>>().Value.Transmitters.Count > 0)
        {
            app.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("Shared Signals")
                .WithSummary("Shared Signals push delivery (RFC 8935): CAEP session-revoked, credential-change and RISC account-disabled, credential-compromise revoke the session or the subject's tokens.");
        }

        return app;
    }

    private static async Task<Results<Accepted, BadRequest<SetError>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context,
        SecurityEventTokenValidator validator,
        SharedSignalsReceiver receiver,
        IOptions<SharedSignalsOptions> options,
        SharedSignalsMetrics metrics,
        CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        var (body, problem) = await ReadSetAsync(context.Request, options.Value.MaxSetBytes, cancellationToken);
        if (problem is not null)
        {
            metrics.Set("refused", problem.Error);
            return TypedResults.BadRequest(new SetError(problem.Error, problem.Description));
        }

        if (validator.Read(body!) is not { } token)
        {
            metrics.Set("refused", "invalid_request");
            return TypedResults.BadRequest(new SetError("invalid_request", "The body is not a signed JWT in compact form (encrypted SETs are not accepted)."));
        }

        // A transmitter given an Authorization header for its pushes must send it: checked before
        // the signature, so that a push from anyone else costs no key lookup.
        if (validator.TransmitterOf(token)?.AuthorizationHeader is { } expected && !SameHeader(context.Request.Headers.Authorization.ToString(), expected))
        {
            metrics.Set("refused", "authentication_failed");
            return TypedResults.BadRequest(new SetError("authentication_failed", "The push did not carry the Authorization header agreed for this transmitter's stream."));
        }

        return await receiver.ReceiveAsync(token, cancellationToken) switch
        {
            SetOutcome.Accepted => TypedResults.Accepted((string?)null),
            SetOutcome.Refused(var refusal) => TypedResults.BadRequest(new SetError(refusal.Error, refusal.Description)),
            SetOutcome.Unavailable(var description) => Unavailable(context, description),
            _ => throw new InvalidOperationException("Unknown outcome."),
        };
    }

    private static ProblemHttpResult Unavailable(HttpContext context, string description)
    {
        context.Response.Headers.RetryAfter = RegistryUnavailableResponse.RetryAfterSeconds;
        return TypedResults.Problem(description, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Security event not confirmed");
    }

    /// <summary>The SET of a request whose media type is RFC 8417's and whose body is at most <paramref name="maxBytes"/>.</summary>
    private static async Task<(string? Body, SetRefusal? Problem)> ReadSetAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), SetMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, SetRefusal.InvalidRequest($"Content-Type must be {SetMediaType} (RFC 8935 §2)."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, SetRefusal.InvalidRequest($"The body is larger than SharedSignals:MaxSetBytes ({maxBytes} bytes)."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var length = 0;
        try
        {
            try
            {
                int read;
                while (length <= maxBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken)) > 0)
                {
                    length += read;
                }
            }
            catch (BadHttpRequestException)
            {
                length = buffer.Length;
            }

            if (length > maxBytes)
            {
                return (null, SetRefusal.InvalidRequest($"The body is larger than SharedSignals:MaxSetBytes ({maxBytes} bytes)."));
            }

            return (Utf8.GetString(buffer, 0, length).Trim(), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, SetRefusal.InvalidRequest("The body is not UTF-8."));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool SameHeader(string actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(actual), Encoding.UTF8.GetBytes(expected));
}
