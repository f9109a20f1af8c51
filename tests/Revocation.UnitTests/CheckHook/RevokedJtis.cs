using System.Collections.Concurrent;
using Revocation.AspNetCore.Lookups;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.CheckHook;

/// <summary>A lookup that answers from a set of revoked jtis (or fails, as a registry that cannot answer) and counts how often it was asked.</summary>
internal sealed class RevokedJtis : IRevocationLookup
{
    private readonly ConcurrentDictionary<string, bool> _revoked = new();
    private int _lookups;

    public string Mode => "test";

    public int Lookups => _lookups;

    /// <summary>When set, every lookup fails with it: the registry cannot answer.</summary>
    public Exception? Failure { get; set; }

    public void Revoke(string jti) => _revoked[jti] = true;

    public Task<LookupResult> LookupAsync(TokenIdentity token, bool checkSubject, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (Failure is { } failure)
        {
            return Task.FromException<LookupResult>(failure);
        }

        return Task.FromResult(token.Jti is not null && _revoked.ContainsKey(token.Jti) ? LookupResult.RevokedByJti : LookupResult.NotRevoked);
    }

    public void Revoked(Revocation.Abstractions.IssuerKey token) => Revoke(token.Value);
}
