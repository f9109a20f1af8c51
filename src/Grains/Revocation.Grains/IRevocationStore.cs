using Revocation.Abstractions;

namespace Revocation.Grains;

/// <summary>The durable store of revocations, one row per revoked (issuer, jti).</summary>
public interface IRevocationStore
{
    /// <summary>The revocation row for <paramref name="token"/> (issuer, jti), or <c>null</c> when there is none.</summary>
    Task<RevocationRecord?> FindAsync(IssuerKey token, CancellationToken cancellationToken);

    /// <summary>
    /// Records a revocation idempotently and returns the row as committed: a repeated call keeps
    /// the first <c>revoked_at</c> and reason and never shortens <c>expires_at</c>.
    /// </summary>
    Task<RevocationRecord> UpsertAsync(
        IssuerKey token, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken);
}

/// <summary>A committed revocation row.</summary>
public sealed record RevocationRecord(DateTimeOffset ExpiresAt, DateTimeOffset RevokedAt, string? Reason);
