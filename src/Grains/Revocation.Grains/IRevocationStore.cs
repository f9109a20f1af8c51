namespace Revocation.Grains;

/// <summary>The durable store of revocations, one row per revoked jti.</summary>
public interface IRevocationStore
{
    /// <summary>The revocation row for <paramref name="jti"/>, or <c>null</c> when there is none.</summary>
    Task<RevocationRecord?> FindAsync(string jti, CancellationToken cancellationToken);

    /// <summary>
    /// Records a revocation idempotently and returns the row as committed: a repeated call keeps
    /// the first <c>revoked_at</c> and reason and never shortens <c>expires_at</c>.
    /// </summary>
    Task<RevocationRecord> UpsertAsync(
        string jti, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken);
}

/// <summary>A committed revocation row.</summary>
public sealed record RevocationRecord(DateTimeOffset ExpiresAt, DateTimeOffset RevokedAt, string? Reason);
