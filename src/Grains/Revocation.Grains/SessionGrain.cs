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
    /// A repeat (a provider retrying its back-channel logout) keeps the end already held: the tokens
    /// of the session were all issued before the first revocation, which covers them.
    /// </remarks>
    public Task<TokenStatus> RevokeAsync(string? reason) =>
        RevokeUntilAsync(Record?.ExpiresAt ?? Time.GetUtcNow() + _retention, reason);
}
