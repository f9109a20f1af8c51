namespace Revocation.Abstractions;

/// <summary>The registry's view of one token id.</summary>
/// <param name="Revoked">Whether the token is revoked.</param>
/// <param name="RevokedAt">When the revocation was first recorded; <c>null</c> when not revoked.</param>
/// <param name="ExpiresAt">
/// Until when the revocation is kept: the token's <c>exp</c> plus the clock skew of the node that
/// revoked it (the last instant a node accepts the token); <c>null</c> when not revoked.
/// </param>
/// <param name="Reason">The operator's reason, if one was given.</param>
[GenerateSerializer, Immutable, Alias("Revocation.TokenStatus")]
public sealed record TokenStatus(
    [property: Id(0)] bool Revoked,
    [property: Id(1)] DateTimeOffset? RevokedAt,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] string? Reason)
{
    /// <summary>The status of a token id the registry has no revocation for.</summary>
    public static TokenStatus NotRevoked { get; } = new(false, null, null, null);
}
