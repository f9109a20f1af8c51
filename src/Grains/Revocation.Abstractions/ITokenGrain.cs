using Orleans.Concurrency;

namespace Revocation.Abstractions;

/// <summary>
/// The registry's answer for one token id (<c>jti</c>). There is one activation of this grain
/// cluster-wide per jti; it loads its row once and then answers from memory.
/// </summary>
[Alias("Revocation.ITokenGrain")]
public interface ITokenGrain : IGrainWithStringKey
{
    /// <summary>
    /// Whether the token is revoked. Answered from memory; a "not revoked" answer is re-read from
    /// the database once it is older than the configured maximum age. Interleaves with other reads.
    /// </summary>
    /// <exception cref="TokenInputException">The grain key is not a valid jti.</exception>
    [ReadOnly, Alias("IsRevoked")]
    ValueTask<bool> IsRevokedAsync();

    /// <summary>
    /// Revokes the token until <paramref name="expiresAt"/>. The row is written first; then every
    /// API node with a near-cache lease is told, and the call returns once each acknowledged or its
    /// lease ran out (<see cref="INodeLeaseGrain"/>). Revoking an already revoked token
    /// is harmless (the nodes are told again), and a token that no node accepts any more needs no
    /// revocation: that call writes nothing.
    /// </summary>
    /// <remarks>
    /// Interleaves with everything: telling the nodes may wait for a paused node's lease to run out,
    /// and the checks nodes send meanwhile must be answered, not queued behind it. Concurrent
    /// revocations of one token both write (the upsert is idempotent) and both notify.
    /// </remarks>
    /// <param name="expiresAt">
    /// The last instant any API node would still accept the token: its <c>exp</c> plus the clock
    /// skew the nodes validate with (a token is accepted that long past <c>exp</c>). The row is kept
    /// until then.
    /// </param>
    /// <param name="reason">Optional free text for operators, at most <see cref="TokenInput.MaxReasonLength"/> characters.</param>
    /// <returns>The durable status after the call.</returns>
    /// <exception cref="RegistryStorageException">The write failed; the revocation was not recorded.</exception>
    /// <exception cref="TokenInputException">The jti or the reason is invalid; nothing was written.</exception>
    /// <exception cref="RevocationNotConfirmedException">Recorded, but not every node could be told; retry to confirm.</exception>
    [AlwaysInterleave, Alias("Revoke")]
    Task<TokenStatus> RevokeAsync(DateTimeOffset expiresAt, string? reason);

    /// <summary>The token's status: revoked or not, and when, until when and why if it is.</summary>
    [ReadOnly, Alias("GetStatus")]
    ValueTask<TokenStatus> GetStatusAsync();

    /// <summary>
    /// Deactivates this grain once the call returns (the operator's "clear cache"). The next call
    /// activates it again and reloads its row from the database.
    /// </summary>
    [Alias("Evict")]
    Task EvictAsync();
}
