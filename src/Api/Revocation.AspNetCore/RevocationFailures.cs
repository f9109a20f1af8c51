using Microsoft.IdentityModel.Tokens;

namespace Revocation.AspNetCore;

/// <summary>A validly signed, unexpired token that the registry rejects; the text is client-facing (RFC 6750).</summary>
public sealed class SecurityTokenRevokedException(string message) : SecurityTokenException(message)
{
    public static SecurityTokenRevokedException For(RevocationVerdict verdict) => new(verdict switch
    {
        RevocationVerdict.Revoked => "The token has been revoked",
        RevocationVerdict.MissingJti => "The token has no jti claim",
        RevocationVerdict.InvalidJti => "The token's jti claim is invalid",
        RevocationVerdict.MissingIssuedAt => "The token has no iat claim",
        RevocationVerdict.IssuedInFuture => "The token's iat claim is in the future",
        RevocationVerdict.InvalidSubject => "The token's sub claim is invalid",
        RevocationVerdict.InvalidIssuer => "The token's iss claim is invalid",
        RevocationVerdict.InvalidSession => "The token's sid claim is invalid",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Not a rejection."),
    });
}

/// <summary>The registry could not answer and the policy is to fail closed: the request gets 503.</summary>
public sealed class RegistryUnavailableException()
    : Exception("The revocation registry is unavailable; the token could not be checked.");
