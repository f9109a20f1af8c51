using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Revocation.AspNetCore;

/// <summary>
/// Endpoints whose bearer token is validated by JwtBearer as usual but not checked for revocation.
/// Meant for a request whose only effect is to revoke the very token it presents — a plain logout:
/// a revocation is idempotent (a repeat keeps the first revocation and never shortens it), so checking
/// first would only cost a registry round trip (and, for a token this node has not cached, a read of
/// the registry's database) to refuse a request that changes nothing. Never exempt an endpoint that
/// reads data or acts on other tokens: a revoked token would be accepted there.
/// </summary>
public static class RevocationCheckExemption
{
    /// <summary>
    /// Skips the revocation check on this endpoint for requests <paramref name="when"/> holds for
    /// (every request, without it); the others are checked as usual. JwtBearer's validation and the
    /// application's events run either way; a skipped check is not counted in <c>revocation.checks</c>.
    /// </summary>
    public static TBuilder WithoutRevocationCheck<TBuilder>(this TBuilder endpoint, Func<HttpRequest, bool>? when = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.WithMetadata(new Exempt(when ?? (_ => true)));
    }

    /// <summary>Whether the endpoint of <paramref name="context"/> exempts this request from the check.</summary>
    internal static bool Applies(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Exempt>() is { } exempt && exempt.When(context.Request);

    private sealed record Exempt(Func<HttpRequest, bool> When);
}
