using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>A notice waiting for one node, with the revocation's wait and when it was queued (a timestamp).</summary>
internal readonly record struct QueuedNotice(RevocationNotice Notice, NoticeWaiter Waiter, long QueuedAt);
