using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Revocation.Api.Authentication;

namespace Revocation.Api.Gateway;

/// <summary>
/// <c>/auth/forward</c>: a gateway (nginx <c>auth_request</c>, Caddy <c>forward_auth</c>, Traefik
/// ForwardAuth, Envoy's HTTP <c>ext_authz</c>) asks it whether the request it holds may go on to the
/// backend. The answer comes from the node's own authentication — the JwtBearer handler with the
/// revocation check built in, as for every protected endpoint here — so it is exactly the node's:
/// 401 with that handler's <c>WWW-Authenticate</c> (a token missing, invalid, expired or revoked),
/// 503 when the registry cannot answer under <c>FailClosed</c>, and 200 with the token's identity
/// in headers (<see cref="IdentityHeaders"/>) when it is accepted. Any method and any path below it
/// (Envoy sends the original method and appends the original path); the body is never read.
/// </summary>
public static class ForwardAuthApi
{
    public const string Path = "/auth/forward";

    public static IEndpointRouteBuilder MapForwardAuthApi(this IEndpointRouteBuilder app)
    {
        var names = app.ServiceProvider.GetRequiredService<IOptions<ForwardAuthOptions>>().Value.Headers;
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForwardAuthApi).FullName!);
        var forward = app.MapGroup(Path).WithTags("Gateway").RequireAuthorization();
        Ok Answer(HttpContext context) => Accept(context, names, logger);
        forward.Map("", Answer)
            .WithSummary("Forward auth for gateways: 200 with identity headers, 401 (WWW-Authenticate as the bearer scheme sends it) or 503; any method.");
        forward.Map("/{**rest}", Answer).ExcludeFromDescription();
        // The same answer over Envoy's gRPC ext_authz. Its message size is bounded by gRPC
        // (MaxReceiveMessageSize, ApiServices), which refuses a larger one with RESOURCE_EXHAUSTED as
        // soon as it reads the length prefix; Kestrel's body limit would instead cut the stream
        // mid-read as frames arrive, which gRPC can only report as UNKNOWN.
        app.MapGrpcService<EnvoyAuthorizationService>().WithMetadata(new BodyBoundByGrpc());
        return app;
    }

    private sealed class BodyBoundByGrpc : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }

    private static Ok Accept(HttpContext context, ForwardAuthHeaders names, ILogger logger)
    {
        var headers = context.Response.Headers;
        // Set by the bearer scheme for every token it validated; an authorized request always has one.
        var token = context.Features.Get<ValidatedBearerToken>()?.Token;
        foreach (var header in token is null ? [] : IdentityHeaders.Of(token, names))
        {
            if (header.Value is not null)
            {
                headers[header.Name] = header.Value;
            }
            else if (header.LeftOut)
            {
                ApiLog.ForwardClaimLeftOut(logger, header.Claim, header.Name);
            }
        }

        // The answer holds only for this request: a cache between gateway and node would outlive a logout.
        headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }
}
