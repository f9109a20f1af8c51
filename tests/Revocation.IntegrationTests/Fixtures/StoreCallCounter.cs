using System.Collections.Concurrent;
using Revocation.Abstractions;
using Revocation.Grains;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>Counts, per jti (of any issuer: the tests' jtis are unique), the calls that reached the real PostgreSQL store.</summary>
public sealed class StoreCallCounter
{
    private readonly ConcurrentDictionary<string, int> _reads = new();
    private readonly ConcurrentDictionary<string, int> _writes = new();

    public int Reads(string jti) => _reads.GetValueOrDefault(jti);

    public int Writes(string jti) => _writes.GetValueOrDefault(jti);

    public IRevocationStore Wrap(IRevocationStore inner) => new CountingStore(inner, this);

    private sealed class CountingStore(IRevocationStore inner, StoreCallCounter counter) : IRevocationStore
    {
        public Task<RevocationRecord?> FindAsync(IssuerKey token, CancellationToken cancellationToken)
        {
            counter._reads.AddOrUpdate(token.Value, 1, (_, n) => n + 1);
            return inner.FindAsync(token, cancellationToken);
        }

        public Task<RevocationRecord> UpsertAsync(
            IssuerKey token, DateTimeOffset expiresAt, DateTimeOffset revokedAt, string? reason, CancellationToken cancellationToken)
        {
            counter._writes.AddOrUpdate(token.Value, 1, (_, n) => n + 1);
            return inner.UpsertAsync(token, expiresAt, revokedAt, reason, cancellationToken);
        }
    }
}
