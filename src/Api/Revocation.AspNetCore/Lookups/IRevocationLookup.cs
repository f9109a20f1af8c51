namespace Revocation.AspNetCore.Lookups;

/// <summary>What a lookup found out about one token.</summary>
internal enum LookupResult
{
    NotRevoked,
    RevokedByJti,
    RevokedBySubject,

    /// <summary>The token's session (<c>sid</c>) is revoked.</summary>
    RevokedBySession,
}

/// <summary>
/// One way of answering "is this token revoked?": the near cache, the grains alone, or (in the
/// registry's own API host only) a mode the registry is measured against. Timeouts, the failure
/// policy, metrics and logs stay with <see cref="RevocationChecker"/>.
/// </summary>
internal interface IRevocationLookup
{
    /// <summary>The mode's name, as it appears in metrics.</summary>
    string Mode { get; }

    /// <summary>Looks the token up; throws when its source cannot answer.</summary>
    /// <param name="token">
    /// The token; its jti is present when <paramref name="checkSubject"/> is false and it has no sid.
    /// Its sid, when present, is checked where sessions are (<see cref="RevocationCheckOptions.ChecksSession"/>).
    /// </param>
    /// <param name="checkSubject">Whether the subject's not-before applies too (the registry's lookups only).</param>
    /// <param name="cancellationToken">Cancelled when the check's time is up or the request is aborted.</param>
    Task<LookupResult> LookupAsync(TokenIdentity token, bool checkSubject, CancellationToken cancellationToken);

    /// <summary>
    /// This node has just revoked <paramref name="token"/> (issuer, jti; the row is written): forget
    /// any answer about it held here. Other nodes are not told.
    /// </summary>
    void Revoked(Abstractions.IssuerKey token);
}
