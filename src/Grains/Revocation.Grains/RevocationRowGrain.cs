using Microsoft.Extensions.Logging;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.Grains;

/// <summary>
/// A grain that holds one revocation row, one activation per key cluster-wide (key:
/// <see cref="IssuerKey.ToGrainKey"/>): a token by (iss, jti) (<see cref="TokenGrain"/>), a session by
/// (iss, sid) (<see cref="SessionGrain"/>). It reads its row once, on the first check, and answers from
/// memory; a revocation is written to the database before memory changes, then every API node with a
/// near-cache lease is told (<see cref="INodeLeaseGrain"/>), and only then is it acknowledged. Idle
/// collection (<see cref="RevocationRowOptions.CollectionAge"/>) is the cache TTL; once the row's
/// <c>expires_at</c> has passed the grain deactivates.
/// </summary>
public abstract class RevocationRowGrain(
    RevocationRowKind kind,
    IRevocationStore store,
    RevocationRowOptions options,
    TimeProvider time,
    RowGrainMetrics metrics,
    ActivationCap cap,
    NoticeRelay notices,
    ILogger logger) : Grain, ICappedActivation
{
    // .NET timers cannot wait longer than ~49 days; a far expiry is re-checked once a day.
    private static readonly TimeSpan LongestExpiryWait = TimeSpan.FromDays(1);

    private IssuerKey _key = new("", "");
    private string? _keyError;
    private RevocationRecord? _record;

    /// <summary>The expiry of the latest revocation every API node was told of by this activation; <c>null</c> before any.</summary>
    private DateTimeOffset? _notifiedUntil;

    /// <summary>
    /// When the row was last read or written, a timestamp of <c>time</c>; <c>null</c> before the
    /// first read. Never 0 as "not read": timestamps count from the host's boot, so on a host up for
    /// less than <c>NotRevokedMaxAge</c> a 0 would pass for a fresh "not revoked" answer.
    /// </summary>
    private long? _loadedAt;
    private Task? _reload;
    private IGrainTimer? _expiryTimer;
    private bool _counted;
    private LinkedListNode<ICappedActivation>? _capEntry;
    private RecentUse _recentUse;

    /// <summary>The row as this activation knows it (read or written); <c>null</c>: not revoked, or not read yet.</summary>
    protected RevocationRecord? Record => _record;

    /// <summary>The clock of the grain.</summary>
    protected TimeProvider Time => time;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        _keyError = kind.KeyError(this.GetPrimaryKeyString(), out _key);
        if (_keyError is not null)
        {
            // Refuse before touching the database; every call on this activation fails.
            GrainsLog.RowInvalidKey(logger, kind.Noun, _keyError);
            return Task.CompletedTask;
        }

        // The row is read by the first check, not here: a revocation of a key never seen (RFC 7009,
        // admin, a provider's logout) writes without reading first, since the upsert answers with the
        // row as committed.
        metrics.ActivationStarted();
        _counted = true;
        _capEntry = cap.Admit(this);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_counted)
        {
            metrics.ActivationEnded();
        }

        if (_capEntry is not null)
        {
            cap.Release(_capEntry);
        }

        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async ValueTask<bool> IsRevokedAsync()
    {
        await EnsureFreshAsync();
        return _record is not null;
    }

    public async ValueTask<TokenStatus> GetStatusAsync()
    {
        await EnsureFreshAsync();
        return ToStatus();
    }

    /// <summary>Revokes the key until <paramref name="expiresAt"/>; see <see cref="ITokenGrain.RevokeAsync"/>.</summary>
    protected async Task<TokenStatus> RevokeUntilAsync(DateTimeOffset expiresAt, string? reason)
    {
        ThrowIfInvalidKey();
        TokenInput.ValidateReason(reason);

        // The database keeps microseconds: compare and store what it will hold.
        expiresAt = TruncateToMicroseconds(expiresAt);
        var now = TruncateToMicroseconds(time.GetUtcNow());
        if (expiresAt <= now)
        {
            GrainsLog.RowRevokeOfExpiredIgnored(logger, kind.Noun, _key.Issuer, _key.Value, expiresAt);
            return ToStatus();
        }

        if (_record is { } existing && existing.ExpiresAt >= expiresAt)
        {
            // Already durable and covering this expiry: nothing to write. The nodes are told again
            // only while no notification of this record has completed in this activation (a retry
            // after one that failed must complete it); once one has, every node holds the revocation
            // or has lost its lease, and a caller repeating the revocation costs no message to any.
            // A new activation cannot know what its predecessor told, so it tells once: that is
            // bounded by the activations a caller can cause, each of which costs a database read or
            // write already (idle collection, the activation cap).
            if (!(_notifiedUntil >= existing.ExpiresAt))
            {
                await NotifyNodesAsync(existing.ExpiresAt);
            }

            return ToStatus();
        }

        RevocationRecord committed;
        try
        {
            committed = await store.UpsertAsync(_key, expiresAt, now, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainsLog.RowRevokeFailed(logger, ex, kind.Noun, _key.Issuer, _key.Value);
            throw new RegistryStorageException($"The revocation of {kind.Field} '{_key.Value}' of issuer '{_key.Issuer}' was not recorded: {ex.Message}");
        }

        SetRecord(committed);
        metrics.Revoked();
        GrainsLog.RowRevoked(logger, kind.Noun, _key.Issuer, _key.Value, committed.ExpiresAt);
        await NotifyNodesAsync(committed.ExpiresAt);
        return ToStatus();
    }

    /// <summary>Tells every API node with a lease; the revocation is durable whatever happens here.</summary>
    private async Task NotifyNodesAsync(DateTimeOffset until)
    {
        try
        {
            await notices.NotifyAllAsync(kind.Notice(_key.Issuer, _key.Value, until));
        }
        catch (Exception ex)
        {
            GrainsLog.RowNotifyFailed(logger, ex, kind.Noun, _key.Issuer, _key.Value);
            throw new RevocationNotConfirmedException(
                $"The revocation of {kind.Field} '{_key.Value}' of issuer '{_key.Issuer}' is recorded, but not every API node could be told yet: {ex.Message}. Retry the revocation to confirm it.");
        }

        // Revocations interleave and may complete out of order: remember the longest expiry told.
        if (!(_notifiedUntil >= until))
        {
            _notifiedUntil = until;
        }
    }

    bool ICappedActivation.TakeRecentUse() => _recentUse.Take();

    void ICappedActivation.Evict() => GrainContext.Deactivate(
        new DeactivationReason(DeactivationReasonCode.ApplicationRequested, $"{options.Section}:{nameof(RevocationRowOptions.MaxActivationsPerSilo)} reached; least recently used"));

    private ValueTask EnsureFreshAsync()
    {
        ThrowIfInvalidKey();
        _recentUse.Mark();
        if (!options.CachingEnabled)
        {
            return new ValueTask(LoadAsync(CancellationToken.None));
        }

        // A revocation never goes stale: it holds until its end.
        if (_record is not null || (_loadedAt is { } loadedAt && time.GetElapsedTime(loadedAt) < options.NotRevokedMaxAge))
        {
            metrics.CacheHit();
            return ValueTask.CompletedTask;
        }

        // Reads interleave: concurrent callers share one reload instead of each querying.
        if (_reload is null)
        {
            var reload = ReloadAsync();
            if (reload.IsCompleted)
            {
                return new ValueTask(reload);
            }

            _reload = reload;
        }

        return new ValueTask(_reload);
    }

    private async Task ReloadAsync()
    {
        try
        {
            await LoadAsync(CancellationToken.None);
        }
        finally
        {
            _reload = null;
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var loadedAt = time.GetTimestamp();
        RevocationRecord? record;
        try
        {
            record = await store.FindAsync(_key, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainsLog.RowReadFailed(logger, ex, kind.Noun, _key.Issuer, _key.Value);
            throw new RegistryStorageException($"The revocation status of {kind.Field} '{_key.Value}' of issuer '{_key.Issuer}' could not be read: {ex.Message}");
        }

        metrics.StoreRead(); // counted once it succeeded: a failed read answered nothing

        _loadedAt = loadedAt;
        if (record is not null)
        {
            SetRecord(record);
        }

        // Not found keeps a revocation set meanwhile by an interleaved revocation: a key never goes
        // back from revoked to not revoked.
    }

    private void SetRecord(RevocationRecord record)
    {
        // Interleaved revocations may complete out of order: keep the latest expiry (the row's too).
        if (_record is { } held && held.ExpiresAt > record.ExpiresAt)
        {
            record = held;
        }

        _record = record;
        _loadedAt = time.GetTimestamp();
        ScheduleExpiry(record.ExpiresAt);
    }

    private void ScheduleExpiry(DateTimeOffset expiresAt)
    {
        var remaining = expiresAt - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            // Nothing left to answer for this key: free the memory after the current call.
            GrainsLog.RowExpired(logger, kind.Noun, _key.Issuer, _key.Value, expiresAt);
            DeactivateOnIdle();
            return;
        }

        var wait = remaining < LongestExpiryWait ? remaining : LongestExpiryWait;
        if (_expiryTimer is null)
        {
            _expiryTimer = this.RegisterGrainTimer(
                OnExpiryTimerAsync,
                new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
        else
        {
            _expiryTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private Task OnExpiryTimerAsync(CancellationToken cancellationToken)
    {
        if (_record is { } record)
        {
            ScheduleExpiry(record.ExpiresAt);
        }

        return Task.CompletedTask;
    }

    private void ThrowIfInvalidKey()
    {
        if (_keyError is not null)
        {
            // An invalid key holds nothing worth keeping in memory.
            DeactivateOnIdle();
            throw new TokenInputException(_keyError, _keyError.StartsWith("iss", StringComparison.Ordinal) ? "iss" : kind.Field);
        }
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond));

    private TokenStatus ToStatus() => _record is { } r
        ? new TokenStatus(true, r.RevokedAt, r.ExpiresAt, r.Reason)
        : TokenStatus.NotRevoked;
}
