using Microsoft.IdentityModel.Tokens;

namespace Revocation.AspNetCore;

/// <summary>
/// The <c>error_description</c> of a 401 (RFC 6750), in fixed words per kind of failure. JwtBearer's
/// own descriptions quote the token's <c>iss</c>, <c>aud</c>, <c>exp</c> and <c>nbf</c>: whatever an
/// issuer signed would be echoed into a response header, and a value with control or non-ASCII
/// characters makes Kestrel refuse the whole response (500). Nothing here comes from the token.
/// </summary>
internal static class BearerErrorDescription
{
    /// <summary>The description of <paramref name="failure"/>, or <c>null</c> for a failure with none to give.</summary>
    public static string? For(Exception failure) => failure switch
    {
        SecurityTokenRevokedException revoked => revoked.Message,
        AggregateException aggregate => Join(aggregate.InnerExceptions.Select(For)),
        SecurityTokenInvalidAudienceException => "The audience is invalid",
        SecurityTokenInvalidIssuerException => "The issuer is invalid",
        SecurityTokenNoExpirationException => "The token has no expiration",
        SecurityTokenExpiredException => "The token has expired",
        SecurityTokenNotYetValidException => "The token is not valid yet",
        SecurityTokenInvalidLifetimeException => "The token lifetime is invalid",
        SecurityTokenSignatureKeyNotFoundException => "The signature key was not found",
        SecurityTokenInvalidSignatureException => "The signature is invalid",
        SecurityTokenInvalidSigningKeyException => "The signature key is not the issuer's",
        SecurityTokenInvalidTypeException => "The token is not an access token",
        _ => null,
    };

    private static string? Join(IEnumerable<string?> descriptions) =>
        string.Join("; ", descriptions.OfType<string>().Distinct()) is { Length: > 0 } joined ? joined : null;
}
