using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.Hosting;
using Revocation.AspNetCore;
using Revocation.AspNetCore.Lookups;

namespace Revocation.Api.Registry;

/// <summary>
/// Registry calls made by endpoints (not the per-request check), bounded by
/// <see cref="RegistryClientOptions.CallTimeout"/>. A call that fails or times out throws
/// <see cref="RegistryCallFailedException"/>; bad input throws <see cref="TokenInputException"/>.
/// </summary>
public sealed class RegistryCalls(
    IGrainFactory grains,
    IOptions<RegistryClientOptions> options,
    RevocationCheckSettings check,
    IOptionsMonitor<JwtBearerOptions> bearer,
    IRevocationLookup lookup,
    RevocationMetrics metrics)
{
    /// <summary>
    /// Revokes through the token grain (the row is written first) in every check mode, then drops
    /// this node's cached answer. The revocation holds until <paramref name="expiresAt"/> plus the
    /// bearer scheme's clock skew: a node accepts the token that long past its <c>exp</c>, so a
    /// logout in that window must still be enforced. <paramref name="expiresAt"/> is the token's <c>exp</c>.
    /// Counted in <c>revocation_revocations_total</c> under <paramref name="endpoint"/>.
    /// </summary>
    public async Task<TokenStatus> RevokeAsync(string jti, DateTimeOffset expiresAt, string? reason, string endpoint, CancellationToken cancellationToken)
    {
        var skew = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters.ClockSkew;

        // An issuer may sign an exp at the end of time: held until then, rather than overflowing.
        var acceptedUntil = expiresAt > DateTimeOffset.MaxValue - skew ? DateTimeOffset.MaxValue : expiresAt + skew;
        var status = await CountedAsync(endpoint, CallAsync(grains.GetTokenGrain(jti).RevokeAsync(acceptedUntil, reason), cancellationToken));
        lookup.Revoked(jti);
        return status;
    }

    public Task<TokenStatus> GetStatusAsync(string jti, CancellationToken cancellationToken) =>
        CallAsync(grains.GetTokenGrain(jti).GetStatusAsync().AsTask(), cancellationToken);

    /// <exception cref="SubjectRevocationUnsupportedException">This node does not check subjects, so it would not enforce it.</exception>
    /// <remarks>Decided by the settings the check uses right now (they can be reloaded), so what is acknowledged here is enforced here.</remarks>
    public Task<SubjectStatus> RevokeSubjectAsync(string sub, string endpoint, CancellationToken cancellationToken) =>
        check.Current is { ChecksSubject: true }
            ? CountedAsync(endpoint, CallAsync(grains.GetSubjectGrain(sub).RevokeAllAsync(), cancellationToken))
            : throw new SubjectRevocationUnsupportedException(check.Current.Mode);

    public Task<SubjectStatus> GetSubjectAsync(string sub, CancellationToken cancellationToken) =>
        CallAsync(grains.GetSubjectGrain(sub).GetStatusAsync().AsTask(), cancellationToken);

    public Task<SweepReport> SweepAsync(CancellationToken cancellationToken) =>
        CallAsync(grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).RunAsync(), options.Value.SweepTimeout, cancellationToken);

    public Task<SweepReport?> GetLastSweepAsync(CancellationToken cancellationToken) =>
        CallAsync(grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).GetLastRunAsync(), cancellationToken);

    public async Task EvictAsync(string jti, CancellationToken cancellationToken)
    {
        var grain = grains.GetTokenGrain(jti);
        await CallAsync(Evicted(grain), cancellationToken);

        static async Task<bool> Evicted(ITokenGrain grain)
        {
            await grain.EvictAsync();
            return true;
        }
    }

    /// <summary>Counts a revocation once the registry answered it: acknowledged (durable), refused as bad input, or failed.</summary>
    private async Task<T> CountedAsync<T>(string endpoint, Task<T> call)
    {
        try
        {
            var result = await call;
            metrics.Revocation(endpoint, "ok");
            return result;
        }
        catch (TokenInputException)
        {
            metrics.Revocation(endpoint, "invalid");
            throw;
        }
        catch (RegistryCallFailedException)
        {
            metrics.Revocation(endpoint, "error");
            throw;
        }
    }

    private Task<T> CallAsync<T>(Task<T> call, CancellationToken cancellationToken) =>
        CallAsync(call, options.Value.CallTimeout, cancellationToken);

    private static async Task<T> CallAsync<T>(Task<T> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not TokenInputException and not OperationCanceledException)
        {
            throw new RegistryCallFailedException(ex);
        }
    }
}

/// <summary>The registry did not answer or failed; the caller should answer 503.</summary>
public sealed class RegistryCallFailedException(Exception inner)
    : Exception("The revocation registry did not complete the call.", inner);

/// <summary>
/// Subject-wide revocation was asked of a node that does not check subjects (another check mode,
/// or CheckSubject off): acknowledging it would leave the subject's tokens accepted here.
/// </summary>
public sealed class SubjectRevocationUnsupportedException(RevocationCheckMode mode)
    : Exception($"Subject-wide revocation (log out everywhere) is checked only with {RevocationCheckOptions.SectionName}:{nameof(RevocationCheckOptions.Mode)}=Grain and {RevocationCheckOptions.SectionName}:{nameof(RevocationCheckOptions.CheckSubject)} on; this node runs {mode} with subject checks off.");
