using Microsoft.Extensions.Logging;
using Revocation.Abstractions;

namespace Revocation.Grains;

/// <summary>
/// Holds a subject's not-before. Orleans reads the state once on activation; checks are answered
/// from memory; a revocation is written before memory changes and before it is acknowledged.
/// </summary>
public sealed partial class SubjectGrain(
    [PersistentState(SubjectGrain.StateName, SubjectGrain.StorageName)] IPersistentState<SubjectRevocationState> state,
    TimeProvider time,
    ILogger<SubjectGrain> logger) : Grain, ISubjectGrain
{
    /// <summary>
    /// The provider keys rows by state name, so equal names of different grain types would share
    /// rows: this one is unique to the subject rule.
    /// </summary>
    public const string StateName = "revocation-subject-not-before";

    /// <summary>The grain storage provider the silo registers on PostgreSQL.</summary>
    public const string StorageName = "registry";

    private SubjectStatus _status = SubjectStatus.None;
    private string _subject = "";
    private string? _keyError;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _subject = this.GetPrimaryKeyString();
        _keyError = TokenInput.CheckSubject(_subject);
        _status = state.State.NotBefore is { } notBefore ? new SubjectStatus(notBefore) : SubjectStatus.None;
        return Task.CompletedTask;
    }

    public ValueTask<SubjectStatus> GetStatusAsync()
    {
        ThrowIfInvalidKey();
        return ValueTask.FromResult(_status);
    }

    public async Task<SubjectStatus> RevokeAllAsync()
    {
        ThrowIfInvalidKey();
        var now = time.GetUtcNow();
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1);
        if (state.State.NotBefore >= notBefore)
        {
            return _status;
        }

        var previous = state.State.NotBefore;
        state.State.NotBefore = notBefore;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            state.State.NotBefore = previous;
            LogRevokeFailed(logger, ex, _subject);
            throw new RegistryStorageException($"The subject-wide revocation was not recorded: {ex.Message}");
        }

        _status = new SubjectStatus(notBefore);
        LogRevoked(logger, _subject, notBefore);
        return _status;
    }

    private void ThrowIfInvalidKey()
    {
        if (_keyError is not null)
        {
            DeactivateOnIdle();
            throw new TokenInputException(_keyError, "sub");
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Revoked every token of subject {Subject} issued before {NotBefore:o}")]
    private static partial void LogRevoked(ILogger logger, string subject, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Subject-wide revocation of {Subject} failed; nothing was acknowledged")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception, string subject);
}
