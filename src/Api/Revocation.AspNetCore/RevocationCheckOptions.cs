using Revocation.AspNetCore.NearCache;

namespace Revocation.AspNetCore;

/// <summary>How the revocation check behaves, bound from the <c>RevocationCheck</c> section.</summary>
public sealed class RevocationCheckOptions
{
    public const string SectionName = "RevocationCheck";

    /// <summary>Where a token is looked up. The default is <see cref="RevocationCheckMode.Grain"/>.</summary>
    public RevocationCheckMode Mode { get; set; } = RevocationCheckMode.Grain;

    /// <summary>
    /// Whether a token without a <c>jti</c> claim is rejected. Such a token cannot be revoked, so the
    /// default is true; set false only where every issuer is trusted to be short-lived.
    /// </summary>
    public bool RequireJti { get; set; } = true;

    /// <summary>
    /// Whether subject-wide revocations ("log out everywhere") are checked too. The token's and
    /// the subject's lookups run concurrently. With this on, tokens must carry <c>iat</c>. Only the
    /// <see cref="RevocationCheckMode.Grain"/> mode can check subjects: unset means true there and
    /// false in the other modes; true with another mode fails validation.
    /// </summary>
    public bool? CheckSubject { get; set; }

    /// <summary>
    /// How long one check may wait for the registry (or the database) before the failure policy
    /// applies. Orleans' own response timeout (30 s) and a connection pool's checkout timeout must
    /// never be what a user waits for. The default is 2 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What to do when the registry cannot answer. The default is <see cref="RevocationFailurePolicy.FailClosed"/>.</summary>
    public RevocationFailurePolicy FailurePolicy { get; set; } = RevocationFailurePolicy.FailClosed;

    /// <summary>The database the <see cref="RevocationCheckMode.Database"/> and <see cref="RevocationCheckMode.LocalCache"/> modes query.</summary>
    public DatabaseCheckOptions Database { get; set; } = new();

    /// <summary>The per-process cache of the <see cref="RevocationCheckMode.LocalCache"/> mode.</summary>
    public LocalCacheCheckOptions LocalCache { get; set; } = new();

    /// <summary>The <see cref="RevocationCheckMode.Grain"/> mode's near cache, kept consistent by leases.</summary>
    public NearCacheOptions NearCache { get; set; } = new();

    /// <summary>Whether checks are answered from this node's near cache (Grain mode with it enabled).</summary>
    public bool UsesNearCache => Mode == RevocationCheckMode.Grain && NearCache.Enabled;

    /// <summary>Whether subject-wide revocations are checked, after the mode's default.</summary>
    public bool ChecksSubject => CheckSubject ?? Mode == RevocationCheckMode.Grain;

    /// <summary>
    /// Whether session revocations (a token's <c>sid</c>) are checked: in the <see cref="RevocationCheckMode.Grain"/>
    /// mode, always; the Database modes query <c>revoked_tokens</c> only.
    /// </summary>
    public bool ChecksSession => Mode == RevocationCheckMode.Grain;
}

/// <summary>The check's own connection pool on the registry database (<c>RevocationCheck:Database</c>).</summary>
public sealed class DatabaseCheckOptions
{
    /// <summary>
    /// Npgsql connection string of the registry database (never logged). The default is
    /// <c>ConnectionStrings:Registry</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Size of the check's connection pool (Npgsql <c>Maximum Pool Size</c>). When set it replaces
    /// the connection string's value; unset keeps the connection string's (Npgsql: 100).
    /// </summary>
    public int? MaxPoolSize { get; set; }
}

/// <summary>The <see cref="RevocationCheckMode.LocalCache"/> mode's cache (<c>RevocationCheck:LocalCache</c>).</summary>
public sealed class LocalCacheCheckOptions
{
    /// <summary>
    /// How long an answer is reused; a revocation made through another node is accepted here for
    /// up to this long. The default is 60 seconds.
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most answers held at once; new answers are not cached while it is full. The default is 10 000.</summary>
    public int SizeLimit { get; set; } = 10_000;
}

/// <summary>What a request gets when the registry cannot say whether its token is revoked.</summary>
public enum RevocationFailurePolicy
{
    /// <summary>Refuse the request with 503: a revoked token is never accepted.</summary>
    FailClosed,

    /// <summary>Accept the token as not revoked (logged and counted): availability over safety.</summary>
    FailOpen,
}
