using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.Grains;

/// <summary>
/// Holds the not-before of one subject of one issuer (key: <see cref="IssuerKey.ToGrainKey"/>).
/// Orleans reads the state on activation; a grain of the issuer recorded by migration 0009 that has
/// no state of its own adopts its subject's not-before from before issuer-scoped keys; checks are answered from
/// memory, re-read from storage once the value held is older than
/// <see cref="SubjectRevocationOptions.NotBeforeMaxAge"/>; a revocation is written before memory
/// changes, then every API node with a near-cache lease is told (<see cref="INodeLeaseGrain"/>), and
/// only then is it acknowledged. The not-before held only ever moves forward.
/// </summary>
public sealed class SubjectGrain(
    [PersistentState(SubjectGrain.StateName, SubjectGrain.StorageName)] IPersistentState<SubjectRevocationState> state,
    TimeProvider time,
    IOptions<SubjectRevocationOptions> options,
    RegistryMetrics metrics,
    SubjectActivationCap cap,
    NoticeRelay notices,
    ILegacySubjects legacySubjects,
    ILogger<SubjectGrain> logger) : Grain, ISubjectGrain, ICappedActivation
{
    /// <summary>
    /// The provider keys rows by state name, so equal names of different grain types would share
    /// rows: this one is unique to the subject rule. Not the name of before issuer-scoped keys
    /// (<see cref="LegacyStateName"/>): an old key is any string, a new key may equal one of them,
    /// and must not read that other subject's row.
    /// </summary>
    public const string StateName = "revocation-subject-not-before-by-issuer";

    /// <summary>The state name of subject not-befores written before issuer-scoped keys (migration 0009), keyed by the bare <c>sub</c>.</summary>
    public const string LegacyStateName = "revocation-subject-not-before";

    /// <summary>The grain storage provider the silo registers on PostgreSQL.</summary>
    public const string StorageName = "registry";

    private readonly SubjectRevocationOptions _options = options.Value;

    // RevokeAllAsync interleaves (telling the nodes may take a lease): writes still go one at a
    // time, each after the one before (grain turns are single-threaded, so a chain of tasks does).
    private Task _lastWrite = Task.CompletedTask;
    private SubjectStatus _status = SubjectStatus.None;
    private IssuerKey _key = new("", "");
    private string? _keyError;
    private LinkedListNode<ICappedActivation>? _capEntry;
    private RecentUse _recentUse;
    private IGrainStorage? _storage;

    /// <summary>When the not-before held was last known to match storage (read or written): a timestamp of <c>time</c>.</summary>
    private long _confirmedAt;
    private Task<SubjectStatus>? _reread;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _keyError = KeyError(this.GetPrimaryKeyString(), out _key);
        _status = state.State.NotBefore is { } notBefore ? new SubjectStatus(notBefore) : SubjectStatus.None;
        _confirmedAt = time.GetTimestamp(); // Orleans has just read the state
        if (_keyError is null)
        {
            if (!state.RecordExists)
            {
                await AdoptLegacyAsync();
            }

            _capEntry = cap.Admit(this);
        }
    }

    /// <summary>Why a grain key is no (issuer, sub) key; <c>null</c> when it is one.</summary>
    internal static string? KeyError(string grainKey, out IssuerKey key)
    {
        if (!IssuerKey.TryParse(grainKey, out key))
        {
            return "The subject grain's key is not an issuer-scoped key (<length>:<iss><sub>).";
        }

        return TokenInput.CheckIssuer(key.Issuer) ?? TokenInput.CheckSubject(key.Value);
    }

    /// <summary>
    /// A subject of the issuer migration 0009 recorded, with no state of its own yet: its not-before
    /// from before issuer-scoped keys (old state name, grain keyed by the bare sub) still holds. It is
    /// written under the new key, so the next activation reads it there; should that write fail, it
    /// is held anyway and read from the old row again next time. A failed read fails the activation
    /// (the check applies its failure policy): no old revocation is silently dropped.
    /// </summary>
    private async Task AdoptLegacyAsync()
    {
        if (!string.Equals(await legacySubjects.IssuerAsync(), _key.Issuer, StringComparison.Ordinal))
        {
            return;
        }

        var old = new GrainState<SubjectRevocationState>(new SubjectRevocationState());
        _storage ??= ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);
        await _storage.ReadStateAsync(LegacyStateName, GrainId.Create(GrainContext.GrainId.Type, _key.Value), old);
        if (old.State?.NotBefore is not { } notBefore)
        {
            return;
        }

        _status = new SubjectStatus(notBefore);
        GrainsLog.SubjectLegacyAdopted(logger, _key.Issuer, _key.Value, notBefore);
        try
        {
            await WriteNotBeforeAsync(notBefore);
        }
        catch (Exception ex)
        {
            GrainsLog.SubjectLegacyCopyFailed(logger, ex, _key.Issuer, _key.Value);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_capEntry is not null)
        {
            cap.Release(_capEntry);
        }

        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    bool ICappedActivation.TakeRecentUse() => _recentUse.Take();

    void ICappedActivation.Evict() => GrainContext.Deactivate(
        new DeactivationReason(DeactivationReasonCode.ApplicationRequested, $"{SubjectRevocationOptions.SectionName}:{nameof(SubjectRevocationOptions.MaxActivationsPerSilo)} reached; least recently used"));

    public ValueTask<SubjectStatus> GetStatusAsync()
    {
        _recentUse.Mark();
        ThrowIfInvalidKey();
        metrics.SubjectChecked();
        if (time.GetElapsedTime(_confirmedAt) < _options.NotBeforeMaxAge)
        {
            return ValueTask.FromResult(_status);
        }

        // Checks interleave: concurrent callers share one read instead of each querying.
        if (_reread is null)
        {
            var reread = RereadAsync();
            if (reread.IsCompleted)
            {
                return new ValueTask<SubjectStatus>(reread);
            }

            _reread = reread;
        }

        return new ValueTask<SubjectStatus>(_reread);
    }

    /// <summary>
    /// Reads the stored not-before on the side, leaving the persistent state (and its ETag) to the
    /// writes: a duplicate activation that wrote meanwhile is seen, and a later not-before found is
    /// held. An earlier one (storage restored from a backup, say) never moves it back.
    /// </summary>
    private async Task<SubjectStatus> RereadAsync()
    {
        try
        {
            var readAt = time.GetTimestamp();
            var stored = new GrainState<SubjectRevocationState>(new SubjectRevocationState());
            try
            {
                _storage ??= ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);
                await _storage.ReadStateAsync(StateName, GrainContext.GrainId, stored);
            }
            catch (Exception ex)
            {
                // Past its bound the value held is no answer: the check applies its failure policy.
                GrainsLog.SubjectRereadFailed(logger, ex, _key.Issuer, _key.Value);
                throw new RegistryStorageException($"The not-before of subject '{_key.Value}' of issuer '{_key.Issuer}' could not be read again: {ex.Message}");
            }

            _confirmedAt = readAt;
            if (stored.State?.NotBefore is { } notBefore && Hold(notBefore))
            {
                GrainsLog.SubjectRereadLater(logger, _key.Issuer, _key.Value, notBefore);
            }

            return _status;
        }
        finally
        {
            _reread = null;
        }
    }

    /// <summary>Holds <paramref name="notBefore"/> if it is later than the one held; whether it was.</summary>
    private bool Hold(DateTimeOffset notBefore)
    {
        if (_status.NotBefore >= notBefore)
        {
            return false;
        }

        _status = new SubjectStatus(notBefore);
        return true;
    }

    public async Task<SubjectStatus> RevokeAllAsync(DateTimeOffset notBefore)
    {
        _recentUse.Mark();
        ThrowIfInvalidKey();
        if (_options.CheckNotBefore(notBefore, time.GetUtcNow()) is { } outOfRange)
        {
            GrainsLog.SubjectNotBeforeRefused(logger, _key.Issuer, _key.Value, outOfRange);
            throw new TokenInputException(outOfRange, nameof(notBefore));
        }

        var previous = _lastWrite;
        var turn = new TaskCompletionSource();
        _lastWrite = turn.Task;
        try
        {
            await previous;
            await RecordAsync(notBefore);
        }
        finally
        {
            turn.SetResult();
        }

        // Told even when nothing was written: a retry after a notification that did not complete must complete it.
        var status = _status;
        try
        {
            await notices.NotifyAllAsync(RevocationNotice.Subject(_key.Issuer, _key.Value, status.NotBefore!.Value));
        }
        catch (Exception ex)
        {
            GrainsLog.SubjectNotifyFailed(logger, ex, _key.Issuer, _key.Value);
            throw new RevocationNotConfirmedException(
                $"The subject-wide revocation of '{_key.Value}' of issuer '{_key.Issuer}' is recorded, but not every API node could be told yet: {ex.Message}. Retry to confirm it.");
        }

        return status;
    }

    /// <summary>Makes <paramref name="notBefore"/> durable unless a later one already is, then holds it in memory.</summary>
    private async Task RecordAsync(DateTimeOffset notBefore)
    {
        // What is held is durable (read from storage or written): a later one already covers this.
        if (_status.NotBefore >= notBefore)
        {
            return;
        }

        try
        {
            await WriteNotBeforeAsync(notBefore);
        }
        catch (Exception ex)
        {
            // A write that committed but whose reply was lost, or a write by another activation,
            // leaves this activation's ETag stale: every later write would fail the same way and
            // this subject could never be revoked again. Reload what storage holds and try once
            // more; a not-before only moves forward, so a later one already stored is kept as is.
            GrainsLog.SubjectWriteRetried(logger, ex, _key.Issuer, _key.Value);
            try
            {
                await state.ReadStateAsync();
                if (!(state.State.NotBefore >= notBefore))
                {
                    await WriteNotBeforeAsync(notBefore);
                }
            }
            catch (Exception retryException)
            {
                // Storage is unreachable, most likely. Memory keeps its last known value, so checks
                // go on being answered; the next revocation reloads the same way if its write fails.
                GrainsLog.SubjectRevokeFailed(logger, retryException, _key.Issuer, _key.Value);
                throw new RegistryStorageException($"The subject-wide revocation was not recorded: {retryException.Message}");
            }
        }

        _confirmedAt = time.GetTimestamp();
        Hold(state.State.NotBefore!.Value);
        GrainsLog.SubjectRevoked(logger, _key.Issuer, _key.Value, _status.NotBefore!.Value);
    }

    /// <summary>Writes <paramref name="notBefore"/>; on failure the state holds its previous value again.</summary>
    private async Task WriteNotBeforeAsync(DateTimeOffset notBefore)
    {
        var previous = state.State.NotBefore;
        state.State.NotBefore = notBefore;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.NotBefore = previous;
            throw;
        }
    }

    private void ThrowIfInvalidKey()
    {
        if (_keyError is not null)
        {
            DeactivateOnIdle();
            throw new TokenInputException(_keyError, _keyError.StartsWith("iss", StringComparison.Ordinal) ? "iss" : "sub");
        }
    }
}
