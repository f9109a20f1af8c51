namespace Revocation.AspNetCore.NearCache;

/// <summary>What a lease grant did to the near cache.</summary>
internal enum LeaseChange
{
    /// <summary>The lease held was extended.</summary>
    Extended,

    /// <summary>A new lease id while the old lease still held (a new lease grain activation): answers kept.</summary>
    Continued,

    /// <summary>A new lease after a gap: every lease-bound answer was dropped.</summary>
    New,

    /// <summary>The node has given its lease up; the grant changes nothing.</summary>
    Ended,
}
