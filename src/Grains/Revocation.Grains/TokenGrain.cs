using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.Grains;

/// <summary>
/// One activation per (issuer, jti) cluster-wide (key: <see cref="IssuerKey.ToGrainKey"/>), holding
/// its <c>revoked_tokens</c> row as every <see cref="RevocationRowGrain"/> does. The revocation lasts
/// until the instant its caller names: the token's <c>exp</c> plus the clock skew.
/// </summary>
public sealed class TokenGrain(
    IRevocationStore store,
    IOptions<TokenGrainOptions> options,
    TimeProvider time,
    RegistryMetrics metrics,
    TokenActivationCap cap,
    NoticeRelay notices,
    ILogger<TokenGrain> logger)
    : RevocationRowGrain(RevocationRowKind.Token, store, options.Value, time, metrics.Tokens, cap, notices, logger), ITokenGrain
{
    public Task<TokenStatus> RevokeAsync(DateTimeOffset expiresAt, string? reason) => RevokeUntilAsync(expiresAt, reason);

    public Task EvictAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
