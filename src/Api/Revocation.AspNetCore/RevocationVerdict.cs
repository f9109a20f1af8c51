namespace Revocation.AspNetCore;

/// <summary>The outcome of one revocation check.</summary>
public enum RevocationVerdict
{
    /// <summary>The registry answered: not revoked.</summary>
    NotRevoked,

    /// <summary>The registry answered: revoked, by its jti or by its subject's not-before.</summary>
    Revoked,

    /// <summary>The token has no <c>jti</c> and <see cref="RevocationCheckOptions.RequireJti"/> is set.</summary>
    MissingJti,

    /// <summary>The <c>jti</c> breaks the registry's input rules (too long, control characters).</summary>
    InvalidJti,

    /// <summary>The subject rule is on and the token has no <c>iat</c>, so it cannot be compared with a not-before.</summary>
    MissingIssuedAt,

    /// <summary>The token's <c>iat</c> is later than now plus the allowed clock skew.</summary>
    IssuedInFuture,

    /// <summary>The <c>sub</c> breaks the registry's input rules.</summary>
    InvalidSubject,

    /// <summary>The registry did not answer in time or failed, and the policy is to fail closed.</summary>
    Unavailable,

    /// <summary>The <c>iss</c> breaks the registry's input rules (longer than 256 characters, control characters).</summary>
    InvalidIssuer,

    /// <summary>The <c>sid</c> breaks the registry's input rules.</summary>
    InvalidSession,
}
