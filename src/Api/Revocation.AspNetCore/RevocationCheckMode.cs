namespace Revocation.AspNetCore;

/// <summary>
/// Where the per-request check looks a token up. Revocations (logout, admin, RFC 7009) go through
/// the registry's token grain in every mode, which writes the <c>revoked_tokens</c> row first; only
/// the check differs.
/// </summary>
public enum RevocationCheckMode
{
    /// <summary>
    /// Ask the token grain (and the subject grain): answered from silo memory, no database query
    /// per request at steady state, a revocation is seen by every node at once. The default.
    /// </summary>
    Grain,

    /// <summary>
    /// One query against <c>revoked_tokens</c> per request, through this node's own connection
    /// pool: always current, but the database is on every request's path.
    /// </summary>
    Database,

    /// <summary>
    /// <see cref="Database"/> behind a per-process TTL cache with a size cap: fast, but a
    /// revocation made through another node is accepted here until the cached answer expires.
    /// </summary>
    LocalCache,
}
