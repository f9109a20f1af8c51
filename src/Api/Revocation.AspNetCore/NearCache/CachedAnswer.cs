using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// One answer in the near cache. Immutable once published, except <see cref="RecentlyUsed"/>: a
/// change replaces the whole object, so a reader never sees half of one.
/// </summary>
internal sealed class CachedAnswer(IssuerKey key, AnswerKind kind, long generation, long expiresAt, long notBeforeTicks = 0)
{
    /// <summary>The (issuer, jti), (issuer, sub) or (issuer, sid) it answers for.</summary>
    public IssuerKey Key { get; } = key;

    public AnswerKind Kind { get; } = kind;

    /// <summary>The lease generation it was filled under; a lapsed or new lease makes it worthless (not for <see cref="AnswerKind.Revoked"/>).</summary>
    public long Generation { get; } = generation;

    /// <summary>When it stops being served (a <see cref="TimeProvider"/> timestamp).</summary>
    public long ExpiresAt { get; } = expiresAt;

    /// <summary>For <see cref="AnswerKind.Subject"/>: the not-before in UTC ticks, 0 for none.</summary>
    public long NotBeforeTicks { get; } = notBeforeTicks;

    /// <summary>The slot in the eviction ring; written only under the cache's lock.</summary>
    public int Slot { get; set; }

    /// <summary>Set when served, cleared when the eviction hand passes: second chance.</summary>
    public bool RecentlyUsed { get; set; }
}

/// <summary>What a <see cref="CachedAnswer"/> says.</summary>
internal enum AnswerKind : byte
{
    /// <summary>The token (or session) is not revoked: served only under a lease.</summary>
    NotRevoked,

    /// <summary>The token (or session) is revoked: never stale, served until it expires.</summary>
    Revoked,

    /// <summary>A subject's not-before (or none): served only under a lease.</summary>
    Subject,
}
