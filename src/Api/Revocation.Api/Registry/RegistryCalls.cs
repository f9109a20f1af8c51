using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.Hosting;

namespace Revocation.Api.Registry;

/// <summary>
/// Registry calls made by endpoints (not the per-request check), bounded by
/// <see cref="RegistryClientOptions.CallTimeout"/>. A call that fails or times out throws
/// <see cref="RegistryCallFailedException"/>; bad input throws <see cref="TokenInputException"/>.
/// </summary>
public sealed class RegistryCalls(IGrainFactory grains, IOptions<RegistryClientOptions> options)
{
    public Task<TokenStatus> RevokeAsync(string jti, DateTimeOffset expiresAt, string? reason, CancellationToken cancellationToken) =>
        CallAsync(grains.GetTokenGrain(jti).RevokeAsync(expiresAt, reason), cancellationToken);

    public Task<TokenStatus> GetStatusAsync(string jti, CancellationToken cancellationToken) =>
        CallAsync(grains.GetTokenGrain(jti).GetStatusAsync().AsTask(), cancellationToken);

    public Task<SubjectStatus> RevokeSubjectAsync(string sub, CancellationToken cancellationToken) =>
        CallAsync(grains.GetSubjectGrain(sub).RevokeAllAsync(), cancellationToken);

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
