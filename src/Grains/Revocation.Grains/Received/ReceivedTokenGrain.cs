using Microsoft.Extensions.Logging;
using Revocation.Abstractions;

namespace Revocation.Grains.Received;

/// <summary>
/// Remembers one token an identity provider delivered — a back-channel logout token or a Security
/// Event Token (key: <see cref="IssuerKey.ToGrainKey"/> of its
/// <c>iss</c> and <c>jti</c>) as seen. Calls take turns (the grain does not interleave), so of two
/// concurrent deliveries exactly one gets the claim. The record is written through Orleans grain
/// persistence on the registry's database and read back on activation, so a replay is refused after
/// a silo restart too, until the record's end.
/// </summary>
/// <remarks>
/// Known limit: records are not swept; a row per delivered token stays in grain storage after its end
/// (a few hundred bytes each), as subject rows do.
/// </remarks>
[CollectionAgeLimit(Minutes = 2)] // a replay reads the record from storage; memory holds only recent deliveries
public sealed partial class ReceivedTokenGrain(
    [PersistentState(ReceivedTokenGrain.StateName, SubjectGrain.StorageName)] IPersistentState<ReceivedTokenState> state,
    TimeProvider time,
    ILogger<ReceivedTokenGrain> logger) : Grain, IReceivedTokenGrain
{
    /// <summary>Unique to delivered-token records: the provider keys rows by state name and grain id.</summary>
    public const string StateName = "revocation-received-token-seen";

    /// <summary>How long an unrecorded, unreleased claim holds: a receiver that died mid-way does not block the provider's retry for long.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(1);

    private (Guid Claimant, DateTimeOffset KeepUntil, DateTimeOffset LapsesAt)? _claim;

    public Task<ReceivedTokenClaim> ClaimAsync(Guid claimant, DateTimeOffset keepUntil)
    {
        var now = time.GetUtcNow();
        if (state.State.SeenUntil is { } seenUntil && seenUntil > now)
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
            LogRecordWithoutClaim(logger, this.GetPrimaryKeyString());
        }

        var keepUntil = _claim?.KeepUntil ?? time.GetUtcNow() + ClaimTimeout;
        _claim = null;
        if (state.State.SeenUntil >= keepUntil)
        {
            return;
        }

        state.State.SeenUntil = keepUntil;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Memory must not claim a record storage does not have: a restart would forget it.
            state.State.SeenUntil = null;
            LogRecordFailed(logger, ex, this.GetPrimaryKeyString());
            throw new RegistryStorageException($"The token could not be recorded as seen: {ex.Message}");
        }
    }

    public Task ReleaseAsync(Guid claimant)
    {
        if (_claim is { } held && held.Claimant == claimant)
        {
            _claim = null;
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning,
        Message = "Logout token {Key} recorded as seen without the caller holding its claim (it lapsed after a minute)")]
    private static partial void LogRecordWithoutClaim(ILogger logger, string key);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Error, Message = "Logout token {Key} could not be recorded as seen")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string key);
}
