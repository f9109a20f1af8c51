using System.Collections.Concurrent;
using Revocation.Grains;

namespace Revocation.Tests.Infrastructure;

/// <summary>Counts, per jti, the calls that reached the real PostgreSQL store.</summary>
public sealed class StoreCallCounter
{
    private readonly ConcurrentDictionary<string, int> _reads = new();
    private readonly ConcurrentDictionary<string, int> _writes = new();

    public int Reads(string jti) => _reads.GetValueOrDefault(jti);

    public int Writes(string jti) => _writes.GetValueOrDefault(jti);

    public IRevocationStore Wrap(IRevocationStore inner) => new CountingStore(inner, this);

    private sealed class CountingStore(IRevocationStore inner, StoreCallCounter counter) : IRevocationStore
    {
        public Task<RevocationRecord?> FindAsync(string jti, CancellationToken cancellationToken)
        {
            counter._reads.AddOrUpdate(jti, 1, (_, n) => n + 1);
            return inner.FindAsync(jti, cancellationToken);
        }

        public Task<RevocationRecord> UpsertAsync(
            string jti, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken)
        {
            counter._writes.AddOrUpdate(jti, 1, (_, n) => n + 1);
            return inner.UpsertAsync(jti, expiresAt, revokedAt, reason, cancellationToken);
        }
    }
}
