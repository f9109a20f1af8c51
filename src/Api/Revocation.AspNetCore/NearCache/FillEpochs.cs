using Revocation.Abstractions;

namespace Revocation.AspNetCore.NearCache;

/// <summary>
/// Counters that a notice advances for the keys it names, striped by key: a reply is cached only if
/// the stripe of its key has not moved since its question was sent. Striping keeps a revocation of
/// one token from cancelling the fills of every other token in flight (with one global counter,
/// almost no miss was cached while revocations kept arriving), at the price of a rare needless
/// cancellation when two keys share a stripe. A stripe never goes back, so a revoked answer that was
/// evicted before a late "not revoked" reply landed still keeps that reply out.
/// </summary>
internal sealed class FillEpochs
{
    private const int Stripes = 4096;

    private readonly long[] _epochs = new long[Stripes];

    /// <summary>The stripe's counter now; read without a lock.</summary>
    public long Of(IssuerKey key) => Volatile.Read(ref _epochs[StripeOf(key)]);

    /// <summary>Advances the key's stripe; the caller holds the cache's write lock.</summary>
    public void Advance(IssuerKey key) => Volatile.Write(ref _epochs[StripeOf(key)], _epochs[StripeOf(key)] + 1);

    private static int StripeOf(IssuerKey key) => (int)((uint)key.GetHashCode() % Stripes);
}
