namespace Revocation.Abstractions;

/// <summary>
/// The registry's answer to a lease renewal: it counts on the node (tells it of every revocation)
/// for <paramref name="Duration"/> from when it received the renewal.
/// </summary>
/// <param name="LeaseId">
/// Unchanged while the lease is continuous. A new id means the registry did not count on the node
/// for a while (first lease, lapsed lease, undelivered notice, a new registry activation): the
/// node must drop every cached "not revoked" answer it holds.
/// </param>
/// <param name="Duration">How long the registry counts on the node from when it received the renewal.</param>
[GenerateSerializer, Immutable, Alias("Revocation.LeaseGrant")]
public sealed record LeaseGrant([property: Id(0)] Guid LeaseId, [property: Id(1)] TimeSpan Duration);
