namespace Revocation.Abstractions;

/// <summary>
/// The registry's answer to a lease renewal: it counts on the node (tells it of every revocation)
/// for <paramref name="Duration"/> from when it received the renewal.
/// </summary>
/// <param name="LeaseId">
/// Unchanged while the lease is continuous. A new id means the registry did not count on the node
/// for a while (first lease, lapsed lease, undelivered notice) or that a new activation of the lease
/// grain answered. The node must then drop every cached "not revoked" answer it holds, unless its own
/// previous lease still held when this grant arrived: that happens only with a new activation, which
/// sends every node granted a lease in its first lease duration each revocation it handled so far,
/// before any of them returns.
/// </param>
/// <param name="Duration">How long the registry counts on the node from when it received the renewal.</param>
[GenerateSerializer, Immutable, Alias("Revocation.LeaseGrant")]
public sealed record LeaseGrant([property: Id(0)] Guid LeaseId, [property: Id(1)] TimeSpan Duration);
