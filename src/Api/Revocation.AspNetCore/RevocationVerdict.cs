namespace Revocation.AspNetCore;

/// <summary>The outcome of one revocation check.</summary>
public enum RevocationVerdict
{
    /// <summary>The registry answered: not revoked.</summary>
    NotRevoked,

    /// <summary>The registry answered: revoked.</summary>
    Revoked,

    /// <summary>The token has no <c>jti</c> and <see cref="RevocationCheckOptions.RequireJti"/> is set.</summary>
    MissingJti,

    /// <summary>The <c>jti</c> breaks the registry's input rules (too long, control characters).</summary>
    InvalidJti,

    /// <summary>The registry did not answer in time or failed, and the policy is to fail closed.</summary>
    Unavailable,
}
