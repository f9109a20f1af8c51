using Orleans.Concurrency;

namespace Revocation.Abstractions;

/// <summary>
/// The revocation of one session (<c>sid</c>) of one issuer: once revoked, every token carrying that
/// (<c>iss</c>, <c>sid</c>) is refused, whenever it was issued — a provider does not reuse a session
/// id after the session ended. One activation per session cluster-wide (key:
/// <see cref="IssuerKey.ToGrainKey"/>); it reads its row once, on the first check, and answers from
/// memory, like <see cref="ITokenGrain"/>.
/// </summary>
[Alias("Revocation.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Whether the session is revoked. Answered from memory; a "not revoked" answer is re-read from
    /// the database once it is older than the silo's <c>SessionRevocation:NotRevokedMaxAge</c>.
    /// Interleaves with other reads.
    /// </summary>
    /// <exception cref="TokenInputException">The grain key is not a valid (iss, sid) key.</exception>
    [ReadOnly, Alias("IsRevoked")]
    ValueTask<bool> IsRevokedAsync();

    /// <summary>
    /// Revokes the session: every token carrying its sid is refused from now on. The row is written
    /// first and kept for the silo's <c>SessionRevocation:Retention</c> (the longest lifetime of a
    /// token plus the clock skew: a token of the session accepted later than that does not exist);
    /// then every API node with a near-cache lease is told, and the call returns once each
    /// acknowledged or its lease ran out (see <see cref="ITokenGrain.RevokeAsync"/>, which this call
    /// interleaves like). Revoking a revoked session is harmless: it keeps the end of the first
    /// revocation and writes nothing (the nodes are told again while this activation has not told
    /// them yet).
    /// </summary>
    /// <param name="reason">Optional free text for operators, at most <see cref="TokenInput.MaxReasonLength"/> characters.</param>
    /// <returns>The durable status after the call: <see cref="TokenStatus.ExpiresAt"/> is until when the revocation is kept.</returns>
    /// <exception cref="RegistryStorageException">The write failed; the revocation was not recorded.</exception>
    /// <exception cref="TokenInputException">The key or the reason is invalid; nothing was written.</exception>
    /// <exception cref="RevocationNotConfirmedException">Recorded, but not every node could be told; retry to confirm.</exception>
    [AlwaysInterleave, Alias("Revoke")]
    Task<TokenStatus> RevokeAsync(string? reason);

    /// <summary>The session's status: revoked or not, and when, until when it is kept and why if it is.</summary>
    [ReadOnly, Alias("GetStatus")]
    ValueTask<TokenStatus> GetStatusAsync();
}
