using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.Grains;

/// <summary>
/// One activation per (issuer, sid) cluster-wide (key: <see cref="IssuerKey.ToGrainKey"/>), holding
/// its <c>revoked_sessions</c> row as every <see cref="RevocationRowGrain"/> does. A session's
/// revocation refuses every token carrying its sid, so it is kept for
/// <see cref="SessionRevocationOptions.Retention"/> from the first revocation: no token of the session
/// is accepted later than that.
/// </summary>
public sealed class SessionGrain(
    ISessionRevocationStore store,
    IOptions<SessionRevocationOptions> options,
    TimeProvider time,
    RegistryMetrics metrics,
    SessionActivationCap cap,
    NoticeRelay notices,
    ILogger<SessionGrain> logger)
    : RevocationRowGrain(RevocationRowKind.Session, store, options.Value, time, metrics.Sessions, cap, notices, logger), ISessionGrain
{
    private readonly TimeSpan _retention = options.Value.Retention;

    /// <remarks>
    /// A repeat (a provider retrying its back-channel logout) keeps the end of the first revocation
    /// and writes nothing: the tokens of the session were all issued before it, so it covers them.
    /// So the row is read first unless this activation holds it already (a check of one of the
    /// session's tokens has read it, most of the time).
    /// </remarks>
    public async Task<TokenStatus> RevokeAsync(string? reason)
    {
        await IsRevokedAsync();
        return await RevokeUntilAsync(Record?.ExpiresAt ?? Time.GetUtcNow() + _retention, reason);
    }
}
