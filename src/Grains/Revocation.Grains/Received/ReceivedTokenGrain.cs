using Microsoft.Extensions.Logging;
using Revocation.Abstractions;

namespace Revocation.Grains.Received;

/// <summary>
/// Remembers one token an identity provider delivered — a back-channel logout token or a Security
/// Event Token (key: <see cref="IssuerKey.ToGrainKey"/> of its <c>iss</c> and <c>jti</c>) as seen.
/// Calls take turns (the grain does not interleave), so of two concurrent deliveries exactly one
/// gets the claim. The record is a row of <c>received_tokens</c> (<see cref="IReceivedTokenStore"/>),
/// read on activation, so a replay is refused after a silo restart too, until the record's end;
/// then the sweeper deletes the row.
/// </summary>
[CollectionAgeLimit(Minutes = 2)] // a replay reads the record from the database; memory holds only recent deliveries
public sealed class ReceivedTokenGrain(
    IReceivedTokenStore store,
    TimeProvider time,
    ILogger<ReceivedTokenGrain> logger) : Grain, IReceivedTokenGrain
{
    /// <summary>How long an unrecorded, unreleased claim holds: a receiver that died mid-way does not block the provider's retry for long.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(1);

    private IssuerKey _key;
    private DateTimeOffset? _seenUntil;
    private (Guid Claimant, DateTimeOffset KeepUntil, DateTimeOffset LapsesAt)? _claim;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = IssuerKey.Parse(this.GetPrimaryKeyString());
        try
        {
            _seenUntil = await store.FindSeenUntilAsync(_key, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Without its record the grain cannot tell a replay: it does not activate, the receiver
            // answers the provider that it could not act now, and the provider delivers again.
            GrainsLog.ReceivedReadFailed(logger, ex, _key.Issuer, _key.Value);
            throw new RegistryStorageException($"Whether the token was seen before could not be read: {ex.Message}");
        }
    }

    public Task<ReceivedTokenClaim> ClaimAsync(Guid claimant, DateTimeOffset keepUntil)
    {
        var now = time.GetUtcNow();
        if (_seenUntil is { } seenUntil && seenUntil > now)
        {
            return Task.FromResult(ReceivedTokenClaim.Seen);
        }

        if (_claim is { } held && held.LapsesAt > now && held.Claimant != claimant)
        {
            return Task.FromResult(ReceivedTokenClaim.InProgress);
        }

        _claim = (claimant, keepUntil, now + ClaimTimeout);
        return Task.FromResult(ReceivedTokenClaim.Claimed);
    }

    public async Task RecordAsync(Guid claimant)
    {
        if (_claim is not { } held || held.Claimant != claimant)
        {
            // The claim lapsed and went to another delivery, or was never this caller's: its
            // revocation happened all the same, and a record is what a later delivery needs.
            GrainsLog.ReceivedRecordWithoutClaim(logger, _key.Issuer, _key.Value);
        }

        var keepUntil = _claim?.KeepUntil ?? time.GetUtcNow() + ClaimTimeout;
        _claim = null;
        if (_seenUntil >= keepUntil)
        {
            return;
        }

        try
        {
            await store.RecordAsync(_key, keepUntil, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Memory must not claim a record the database does not have: a restart would forget it.
            GrainsLog.ReceivedRecordFailed(logger, ex, _key.Issuer, _key.Value);
            throw new RegistryStorageException($"The token could not be recorded as seen: {ex.Message}");
        }

        _seenUntil = keepUntil;
    }

    public Task ReleaseAsync(Guid claimant)
    {
        if (_claim is { } held && held.Claimant == claimant)
        {
            _claim = null;
        }

        return Task.CompletedTask;
    }
}
