using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Revocation.Api.Authentication;
using Revocation.Api.Gateway.ExtAuthz;

namespace Revocation.Api.Gateway;

/// <summary>
/// Envoy's gRPC external authorization (<c>envoy.service.auth.v3.Authorization/Check</c>, the
/// <c>ext_authz</c> HTTP filter with a <c>grpc_service</c>; Istio's <c>envoyExtAuthzGrpc</c>
/// provider): the same decision as <see cref="ForwardAuthApi"/>, from the same bearer scheme with
/// the revocation check built in. The request's <c>authorization</c> header (from <c>headers</c>, or
/// <c>header_map</c> with <c>encode_raw_headers</c>) is authenticated as if it had come to
/// <c>/auth/forward</c>: accepted → status OK and the identity headers, each set to overwrite
/// whatever the client sent under that name, and every identity header the token does not fill
/// removed (a client cannot smuggle its own); refused → UNAUTHENTICATED with the 401 and
/// <c>WWW-Authenticate</c> the bearer scheme answers; registry unavailable under <c>FailClosed</c> →
/// UNAVAILABLE with the 503, <c>Retry-After</c> and its problem body. Nothing of the token is logged.
/// </summary>
public sealed class EnvoyAuthorizationService(
    IServiceScopeFactory scopes, IOptions<ForwardAuthOptions> options, ILogger<EnvoyAuthorizationService> logger)
    : Authorization.AuthorizationBase
{
    // google.rpc.Code
    private const int Ok = 0;
    private const int PermissionDenied = 7;
    private const int Unavailable = 14;
    private const int Unauthenticated = 16;

    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        // A scope of its own: the authentication handlers of the gRPC call's scope are bound to the
        // call's own HttpContext, not to the request Envoy describes.
        await using var scope = scopes.CreateAsyncScope();
        await using var body = new MemoryStream();
        var described = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = context.CancellationToken };
        described.Request.Method = HttpMethods.Get;
        described.Request.Path = ForwardAuthApi.Path;
        described.Response.Body = body;
        if (AuthorizationHeader(request.Attributes?.Request?.Http) is { } authorization)
        {
            described.Request.Headers.Authorization = authorization;
        }

        var result = await described.AuthenticateAsync();
        if (result.Succeeded && described.Features.Get<ValidatedBearerToken>() is { } validated)
        {
            return Allowed(validated);
        }

        await described.ChallengeAsync();
        return Denied(described.Response, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>The request's Authorization header as Envoy passed it; null when it has none.</summary>
    private static string? AuthorizationHeader(AttributeContext.Types.HttpRequest? http)
    {
        if (http is null)
        {
            return null;
        }

        if (http.Headers.TryGetValue("authorization", out var value))
        {
            return value;
        }

        var raw = http.HeaderMap?.Headers.FirstOrDefault(h => string.Equals(h.Key, "authorization", StringComparison.OrdinalIgnoreCase));
        return raw is null ? null : raw.RawValue.IsEmpty ? raw.Value : raw.RawValue.ToStringUtf8();
    }

    private CheckResponse Allowed(ValidatedBearerToken validated)
    {
        var ok = new OkHttpResponse();
        foreach (var header in IdentityHeaders.Of(validated.Token, options.Value.Headers))
        {
            if (header.Value is not null)
            {
                ok.Headers.Add(Overwrite(header.Name, header.Value));
                continue;
            }

            ok.HeadersToRemove.Add(header.Name.ToLowerInvariant());
            if (header.LeftOut)
            {
                ApiLog.ForwardClaimLeftOut(logger, header.Claim, header.Name);
            }
        }

        return new CheckResponse { Status = new RpcStatus { Code = Ok }, OkResponse = ok };
    }

    private static CheckResponse Denied(HttpResponse response, string body)
    {
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = (HttpStatus.Types.StatusCode)response.StatusCode },
            Body = body,
        };
        foreach (var (name, values) in response.Headers)
        {
            denied.Headers.Add(Overwrite(name.ToLowerInvariant(), values.ToString()));
        }

        var code = response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => Unauthenticated,
            StatusCodes.Status503ServiceUnavailable => Unavailable,
            _ => PermissionDenied,
        };
        return new CheckResponse { Status = new RpcStatus { Code = code }, DeniedResponse = denied };
    }

    private static HeaderValueOption Overwrite(string name, string value) => new()
    {
        Header = new HeaderValue { Key = name, Value = value },
        AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
    };
}
