namespace Revocation.Api.CheckModes;

/// <summary>
/// Where this API node's per-request check looks a token up (<c>RevocationCheck:Mode</c>). Only
/// <see cref="Grain"/> is the registry, and the only mode of the <c>Revocation.AspNetCore</c>
/// package; the other two are what the registry replaces, kept in its own host so that the
/// benchmarks (<c>scripts/bench.sh</c>) measure them side by side with it. Revocations go through
/// the registry's grains in every mode, which write the <c>revoked_tokens</c> row first; only the
/// check differs.
/// </summary>
public enum CheckMode
{
    /// <summary>
    /// Ask the registry: answered from the node's lease-backed near cache (or the grains), no
    /// database query per request at steady state, a revocation seen by every node at once. The default.
    /// </summary>
    Grain,

    /// <summary>
    /// One query against <c>revoked_tokens</c> per request, through this node's own connection
    /// pool, as Airflow 3.2 does: always current, but the database is on every request's path.
    /// </summary>
    Database,

    /// <summary>
    /// <see cref="Database"/> behind a per-process TTL cache with a size cap: fast, but a
    /// revocation made through another node is accepted here until the cached answer expires.
    /// </summary>
    LocalCache,
}
