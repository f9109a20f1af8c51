namespace Revocation.Abstractions;

/// <summary>
/// Replay protection for the tokens identity providers deliver: the logout tokens of OpenID Connect
/// Back-Channel Logout 1.0 (§2.6: a <c>jti</c> seen before is refused) and the Security Event Tokens
/// of Shared Signals (a second delivery is recognised). One activation per (<c>iss</c>, <c>jti</c>)
/// cluster-wide, so two API nodes receiving the same token at once reach the same grain. A receiver
/// claims the token, revokes what it names, then records it as seen (durably, through Orleans grain
/// persistence) until the token could no longer be accepted anyway. A claim held in memory rather
/// than a record written first: a revocation that fails leaves the token unrecorded, so the
/// provider's retry of the same token is still honoured.
/// </summary>
[Alias("Revocation.IReceivedTokenGrain")]
public interface IReceivedTokenGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the token for <paramref name="claimant"/>: <see cref="ReceivedTokenClaim.Claimed"/>
    /// to exactly one caller at a time; <see cref="ReceivedTokenClaim.Seen"/> once it was recorded (and
    /// the record still holds); <see cref="ReceivedTokenClaim.InProgress"/> while another caller's
    /// claim is held (it lapses after a minute: a receiver that died mid-way must not block the provider's retry for long).
    /// </summary>
    /// <param name="claimant">Identifies the claim for <see cref="RecordAsync"/> and <see cref="ReleaseAsync"/>.</param>
    /// <param name="keepUntil">How long the record must hold once made: after it, the receiver refuses the token for its age.</param>
    [Alias("Claim")]
    Task<ReceivedTokenClaim> ClaimAsync(Guid claimant, DateTimeOffset keepUntil);

    /// <summary>
    /// Records the token as seen (durably) after its revocation was acknowledged; answered once the
    /// write committed. A record survives silo restarts until the <c>keepUntil</c> of the claim.
    /// </summary>
    /// <exception cref="RegistryStorageException">The write failed; the token is not recorded and its claim is released.</exception>
    [Alias("Record")]
    Task RecordAsync(Guid claimant);

    /// <summary>Releases <paramref name="claimant"/>'s claim without a record (its revocation failed): the token may be claimed again.</summary>
    [Alias("Release")]
    Task ReleaseAsync(Guid claimant);
}
