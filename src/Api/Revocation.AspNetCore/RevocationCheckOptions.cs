using Revocation.AspNetCore.NearCache;

namespace Revocation.AspNetCore;

/// <summary>How the revocation check behaves, bound from the <c>RevocationCheck</c> section.</summary>
public sealed class RevocationCheckOptions
{
    public const string SectionName = "RevocationCheck";

    /// <summary>
    /// Whether a token without a <c>jti</c> claim is rejected. Such a token cannot be revoked, so the
    /// default is true; set false only where every issuer is trusted to be short-lived.
    /// </summary>
    public bool RequireJti { get; set; } = true;

    /// <summary>
    /// Whether subject-wide revocations ("log out everywhere") are checked too. The token's and
    /// the subject's lookups run concurrently. With this on, tokens must carry <c>iat</c>. Unset
    /// means true.
    /// </summary>
    public bool? CheckSubject { get; set; }

    /// <summary>
    /// How long one check may wait for the registry before the failure policy applies: Orleans' own
    /// response timeout (30 s) must never be what a user waits for. The default is 2 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What to do when the registry cannot answer. The default is <see cref="RevocationFailurePolicy.FailClosed"/>.</summary>
    public RevocationFailurePolicy FailurePolicy { get; set; } = RevocationFailurePolicy.FailClosed;

    /// <summary>The near cache, kept consistent by leases.</summary>
    public NearCacheOptions NearCache { get; set; } = new();

    /// <summary>
    /// False only where the registry's own API host answers checks from one of the modes it measures
    /// the registry against (a query per check, a per-process TTL cache; its <c>RevocationCheck:Mode</c>),
    /// which ask neither the grains nor the leases. Set by that host's post-configuration, never bound.
    /// </summary>
    internal bool AsksRegistry { get; set; } = true;

    /// <summary>Whether checks are answered from this node's near cache (enabled, and the registry asked).</summary>
    public bool UsesNearCache => AsksRegistry && NearCache.Enabled;

    /// <summary>Whether subject-wide revocations are checked.</summary>
    public bool ChecksSubject => AsksRegistry && (CheckSubject ?? true);

    /// <summary>Whether session revocations (a token's <c>sid</c>) are checked: always, where the registry is asked.</summary>
    public bool ChecksSession => AsksRegistry;
}

/// <summary>What a request gets when the registry cannot say whether its token is revoked.</summary>
public enum RevocationFailurePolicy
{
    /// <summary>Refuse the request with 503: a revoked token is never accepted.</summary>
    FailClosed,

    /// <summary>Accept the token as not revoked (logged and counted): availability over safety.</summary>
    FailOpen,
}
