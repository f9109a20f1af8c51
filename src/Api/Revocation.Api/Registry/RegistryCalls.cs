using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.CheckModes;
using Revocation.Api.Hosting;
using Revocation.AspNetCore;
using Revocation.AspNetCore.Lookups;

namespace Revocation.Api.Registry;

/// <summary>
/// Registry calls made by endpoints (not the per-request check), bounded by
/// <see cref="RegistryClientOptions.CallTimeout"/>. A call that fails or times out throws
/// <see cref="RegistryCallFailedException"/>; bad input throws <see cref="TokenInputException"/>.
/// </summary>
internal sealed class RegistryCalls(
    IGrainFactory grains,
    IOptions<RegistryClientOptions> options,
    RevocationCheckSettings check,
    IOptions<CheckModeOptions> modes,
    IOptionsMonitor<JwtBearerOptions> bearer,
    IRevocationLookup lookup,
    RevocationMetrics metrics,
    SubjectNotBefore subjectNotBefore,
    TimeProvider time,
    ILogger<RegistryCalls> logger)
{
    /// <summary>
    /// Revokes through the token grain (the row is written first) in every check mode, then drops
    /// this node's cached answer. The revocation holds until <paramref name="expiresAt"/> plus the
    /// bearer scheme's clock skew: a node accepts the token that long past its <c>exp</c>, so a
    /// logout in that window must still be enforced. <paramref name="expiresAt"/> is the token's <c>exp</c>.
    /// Counted in <c>revocation_revocations_total</c> under <paramref name="endpoint"/>. A jti is
    /// unique only within its <paramref name="issuer"/>: the same jti of another issuer stays valid.
    /// </summary>
    public async Task<TokenStatus> RevokeAsync(string issuer, string jti, DateTimeOffset expiresAt, string? reason, string endpoint, CancellationToken cancellationToken)
    {
        var skew = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters.ClockSkew;

        // An issuer may sign an exp at the end of time: held until then, rather than overflowing.
        var acceptedUntil = expiresAt > DateTimeOffset.MaxValue - skew ? DateTimeOffset.MaxValue : expiresAt + skew;
        var status = await CountedAsync(endpoint, CallAsync(grains.GetTokenGrain(issuer, jti).RevokeAsync(acceptedUntil, reason), cancellationToken));
        lookup.Revoked(new IssuerKey(issuer, jti));
        return status;
    }

    public Task<TokenStatus> GetStatusAsync(string issuer, string jti, CancellationToken cancellationToken) =>
        CallAsync(grains.GetTokenGrain(issuer, jti).GetStatusAsync().AsTask(), cancellationToken);

    /// <summary>
    /// "Log out everywhere": revokes every token of <paramref name="sub"/> of <paramref name="issuer"/>
    /// (only: the same sub of another issuer is another person) issued before now, on the issuer's
    /// clock within the bearer scheme's clock skew (<see cref="SubjectNotBefore"/>), and
    /// returns no earlier than <see cref="LogoutEverywhereOptions.IssuerClockMargin"/> after it began,
    /// so that a token issued a second after it returned is accepted.
    /// </summary>
    /// <exception cref="SubjectRevocationUnsupportedException">This node does not check subjects, so it would not enforce it.</exception>
    /// <remarks>Decided by the settings the check uses right now (they can be reloaded), so what is acknowledged here is enforced here.</remarks>
    public async Task<SubjectStatus> RevokeSubjectAsync(string issuer, string sub, string endpoint, CancellationToken cancellationToken)
    {
        if (check.Current is not { ChecksSubject: true })
        {
            throw new SubjectRevocationUnsupportedException(modes.Value.Mode);
        }

        var grain = grains.GetSubjectGrain(issuer, sub);
        var (notBefore, minimumDuration) = subjectNotBefore.Next(issuer, bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters);

        // Counted from the instant the not-before was taken, alongside the registry call.
        var earliestReturn = Task.Delay(minimumDuration, time, cancellationToken);
        var status = await CountedAsync(endpoint, CallAsync(RevokeAllAsync(grain, issuer, sub, notBefore), cancellationToken));
        await earliestReturn;
        return status;
    }

    /// <summary>
    /// Revokes every token of <paramref name="sub"/> of <paramref name="issuer"/> issued before
    /// <paramref name="notBefore"/>, an instant the caller read on the issuer's own clock (a logout
    /// token's <c>iat</c>): no clock estimate and no margin, and the call returns as soon as the
    /// not-before is durable and every API node acknowledged it.
    /// </summary>
    /// <exception cref="SubjectRevocationUnsupportedException">This node does not check subjects, so it would not enforce it.</exception>
    public Task<SubjectStatus> RevokeSubjectBeforeAsync(string issuer, string sub, DateTimeOffset notBefore, string endpoint, CancellationToken cancellationToken)
    {
        if (check.Current is not { ChecksSubject: true })
        {
            throw new SubjectRevocationUnsupportedException(modes.Value.Mode);
        }

        return CountedAsync(endpoint, CallAsync(RevokeAllAsync(grains.GetSubjectGrain(issuer, sub), issuer, sub, notBefore), cancellationToken));
    }

    /// <summary>
    /// A not-before the silo refuses as too far from its own clock means this node's clock (or the
    /// silo's) is off: nothing was written, and it is the registry's failure, not the caller's input.
    /// </summary>
    private async Task<SubjectStatus> RevokeAllAsync(ISubjectGrain grain, string issuer, string sub, DateTimeOffset notBefore)
    {
        try
        {
            return await grain.RevokeAllAsync(notBefore);
        }
        catch (TokenInputException refused) when (refused.Field == NotBeforeField)
        {
            ApiLog.SubjectNotBeforeRefused(logger, issuer, sub, notBefore, refused.Message);
            throw new InvalidOperationException(refused.Message, refused);
        }
    }

    /// <summary>The field a silo names when it refuses a not-before (<see cref="TokenInputException.Field"/>).</summary>
    private const string NotBeforeField = "notBefore";

    public Task<SubjectStatus> GetSubjectAsync(string issuer, string sub, CancellationToken cancellationToken) =>
        CallAsync(grains.GetSubjectGrain(issuer, sub).GetStatusAsync().AsTask(), cancellationToken);

    /// <summary>
    /// Revokes the session <paramref name="sid"/> of <paramref name="issuer"/>: every token carrying
    /// that (iss, sid) is refused, on every API node, once this returns — the row is durable and every
    /// node with a near-cache lease acknowledged (or its lease ran out), as for a token. Other sessions
    /// of the same user are untouched. Idempotent: repeat it after a failure. Counted in
    /// <c>revocation_revocations_total</c> under <paramref name="endpoint"/>.
    /// </summary>
    /// <param name="issuer">The session's issuer (<c>iss</c>): a sid is unique only within it.</param>
    /// <param name="sid">The session id (<c>sid</c>), 1–256 characters without control characters.</param>
    /// <param name="reason">Optional free text for operators, at most 512 characters.</param>
    /// <param name="endpoint">The metric label of the caller (e.g. <c>logout_session</c>, <c>admin_session</c>, <c>backchannel_logout</c>).</param>
    /// <param name="cancellationToken">Stops waiting (the revocation may still complete).</param>
    /// <returns>The session's status: revoked, since when, kept until when.</returns>
    /// <exception cref="TokenInputException">The issuer, sid or reason breaks the input rules; nothing was written.</exception>
    /// <exception cref="SessionRevocationUnsupportedException">This node does not check sessions (not Grain mode), so it would not enforce it.</exception>
    /// <exception cref="RegistryCallFailedException">The registry failed or did not answer in time; nothing acknowledged (a write may have happened: repeat).</exception>
    public Task<TokenStatus> RevokeSessionAsync(string issuer, string sid, string? reason, string endpoint, CancellationToken cancellationToken)
    {
        if (!check.Current.ChecksSession)
        {
            throw new SessionRevocationUnsupportedException(modes.Value.Mode);
        }

        TokenInput.ValidateReason(reason);
        return CountedAsync(endpoint, CallAsync(grains.GetSessionGrain(issuer, sid).RevokeAsync(reason), cancellationToken));
    }

    public Task<TokenStatus> GetSessionAsync(string issuer, string sid, CancellationToken cancellationToken) =>
        CallAsync(grains.GetSessionGrain(issuer, sid).GetStatusAsync().AsTask(), cancellationToken);

    public Task<SweepReport> SweepAsync(CancellationToken cancellationToken) =>
        CallAsync(grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).RunAsync(), options.Value.SweepTimeout, cancellationToken);

    public Task<SweepReport?> GetLastSweepAsync(CancellationToken cancellationToken) =>
        CallAsync(grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).GetLastRunAsync(), cancellationToken);

    public async Task EvictAsync(string issuer, string jti, CancellationToken cancellationToken)
    {
        var grain = grains.GetTokenGrain(issuer, jti);
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
