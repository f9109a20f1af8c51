using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.Hosting;

namespace Revocation.Api.Registry;

/// <summary>
/// Acts on a token an identity provider delivered (a back-channel logout token, a Security Event
/// Token) at most once cluster-wide: claims it at its replay grain (<see cref="IReceivedTokenGrain"/>),
/// runs the revocations, then records it as seen. A revocation that fails releases the claim before
/// the failure is answered, so the provider's next delivery is acted on; a record that fails after
/// the revocations succeeded is logged and the delivery still counts as done (acting again would
/// change nothing).
/// </summary>
internal sealed class ReceivedOnce(IGrainFactory grains, IOptions<RegistryClientOptions> client, ILogger<ReceivedOnce> logger)
{
    /// <param name="issuer">The token's <c>iss</c>.</param>
    /// <param name="jti">The token's <c>jti</c>.</param>
    /// <param name="keepUntil">How long the record must hold: until the token could no longer be accepted anyway.</param>
    /// <param name="act">The revocations, each answered only once durable and acknowledged.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<ReceivedOnceResult> RunAsync(string issuer, string jti, DateTimeOffset keepUntil, Func<Task> act, CancellationToken cancellationToken)
    {
        var replay = grains.GetReceivedTokenGrain(issuer, jti);
        var claimant = Guid.NewGuid();
        ReceivedTokenClaim claim;
        try
        {
            claim = await replay.ClaimAsync(claimant, keepUntil).WaitAsync(client.Value.CallTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ReceivedOnceResult.Failed(ex);
        }

        if (claim != ReceivedTokenClaim.Claimed)
        {
            return claim == ReceivedTokenClaim.Seen ? ReceivedOnceResult.Seen : ReceivedOnceResult.InProgress;
        }

        try
        {
            await act();
        }
        catch (Exception ex) when (ex is RegistryCallFailedException or UnenforceableRevocationException or InvalidOperationException or TokenInputException or TimeoutException)
        {
            // Released before the provider hears of the failure: a delivery it retries at once must
            // find the token unclaimed, not "in progress" behind this request's own claim.
            await ReleaseAsync(replay, claimant, issuer, jti);
            return ReceivedOnceResult.Failed(ex);
        }

        try
        {
            await replay.RecordAsync(claimant).WaitAsync(client.Value.CallTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The revocations are durable and acknowledged: the provider must hear so. A replay of
            // this token could now revoke the same again, which changes nothing.
            ApiLog.ReceivedRecordFailed(logger, ex, issuer, jti);
        }

        return ReceivedOnceResult.Done;
    }

    private async Task ReleaseAsync(IReceivedTokenGrain replay, Guid claimant, string issuer, string jti)
    {
        try
        {
            await replay.ReleaseAsync(claimant).WaitAsync(client.Value.CallTimeout);
        }
        catch (Exception ex)
        {
            // The claim lapses on its own after a minute.
            ApiLog.ReceivedReleaseFailed(logger, ex, issuer, jti);
        }
    }
}

/// <summary>What <see cref="ReceivedOnce.RunAsync"/> did.</summary>
/// <param name="Outcome">Done, seen before, in progress elsewhere, or failed.</param>
/// <param name="Error">Why it failed (<see cref="ReceivedOnceOutcome.Failed"/> only).</param>
internal sealed record ReceivedOnceResult(ReceivedOnceOutcome Outcome, Exception? Error = null)
{
    public static ReceivedOnceResult Done { get; } = new(ReceivedOnceOutcome.Done);
    public static ReceivedOnceResult Seen { get; } = new(ReceivedOnceOutcome.Seen);
    public static ReceivedOnceResult InProgress { get; } = new(ReceivedOnceOutcome.InProgress);

    public static ReceivedOnceResult Failed(Exception error) => new(ReceivedOnceOutcome.Failed, error);
}

/// <summary>The outcomes of <see cref="ReceivedOnce.RunAsync"/>.</summary>
internal enum ReceivedOnceOutcome
{
    /// <summary>Claimed, acted on, recorded (or the record failed after the revocations were acknowledged).</summary>
    Done,

    /// <summary>Recorded before: a replay or a second delivery; nothing done.</summary>
    Seen,

    /// <summary>Another delivery holds the claim right now; nothing done.</summary>
    InProgress,

    /// <summary>The claim or a revocation failed; nothing confirmed, the claim released.</summary>
    Failed,
}
