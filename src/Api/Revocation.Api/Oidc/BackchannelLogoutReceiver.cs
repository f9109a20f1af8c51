using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.Api.Hosting;
using Revocation.Api.Registry;

namespace Revocation.Api.Oidc;

/// <summary>
/// What a logout token does once read from the request: validated (<see cref="LogoutTokenValidator"/>),
/// claimed at its replay grain (one delivery of a <c>jti</c> wins cluster-wide; a recorded one is a
/// replay), revoked — the session for a <c>sid</c>, for a <c>sub</c> alone every token of the
/// subject issued up to the logout token's <c>iat</c> — and recorded as seen. Answered with success
/// only after the revocation is durable and every API node acknowledged it. A revocation that fails
/// releases the claim, so the provider's next delivery of the same token is honoured.
/// </summary>
internal sealed partial class BackchannelLogoutReceiver(
    LogoutTokenValidator validator,
    IGrainFactory grains,
    RegistryCalls registry,
    IOptions<RegistryClientOptions> client,
    BackchannelLogoutMetrics metrics,
    ILogger<BackchannelLogoutReceiver> logger)
{
    /// <summary>The endpoint name under which revocations are counted (<c>revocation.revocations</c>).</summary>
    public const string Endpoint = "backchannel_logout";

    /// <summary>The reason recorded with a session revoked by its provider (shown by the admin status).</summary>
    private const string Reason = "OpenID Connect back-channel logout";

    /// <summary><c>null</c> when the revocation is done; otherwise why not.</summary>
    public async Task<LogoutTokenRefusal?> ReceiveAsync(string logoutToken, CancellationToken cancellationToken)
    {
        var (token, refusal) = await validator.ValidateAsync(logoutToken, cancellationToken);
        if (token is null)
        {
            metrics.Received("refused", refusal!.Reason);
            LogRefused(logger, refusal.Reason, refusal.Description);
            return refusal;
        }

        var replay = grains.GetLogoutTokenGrain(token.Issuer, token.Jti);
        var claimant = Guid.NewGuid();
        LogoutTokenClaim claim;
        try
        {
            claim = await replay.ClaimAsync(claimant, token.AcceptableUntil).WaitAsync(client.Value.CallTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(token, ex);
        }

        if (claim != LogoutTokenClaim.Claimed)
        {
            metrics.Received("replayed", claim == LogoutTokenClaim.Seen ? "replay" : "in_progress");
            LogReplayed(logger, token.Issuer, token.Jti, claim);
            return new LogoutTokenRefusal("replay", claim == LogoutTokenClaim.Seen
                ? "This logout token (its jti) was received before."
                : "This logout token (its jti) is being processed from another delivery.");
        }

        try
        {
            await RevokeAsync(token, cancellationToken);
        }
        catch (Exception ex) when (ex is RegistryCallFailedException or UnenforceableRevocationException or InvalidOperationException or TokenInputException or TimeoutException)
        {
            _ = ReleaseAsync(replay, claimant, token);
            return Failed(token, ex);
        }

        try
        {
            await replay.RecordAsync(claimant).WaitAsync(client.Value.CallTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The revocation is durable and acknowledged: the provider must hear so. A replay of
            // this token could now revoke the same again, which changes nothing.
            LogRecordFailed(logger, ex, token.Issuer, token.Jti);
        }

        metrics.Received("ok", token.SessionId is not null ? "sid" : "sub");
        LogRevoked(logger, token.Issuer, token.Jti, token.Subject, token.SessionId, token.IssuedAt);
        return null;
    }

    private async Task RevokeAsync(LogoutToken token, CancellationToken cancellationToken)
    {
        if (token.SessionId is { } sid)
        {
            // The session alone: the user's other sessions keep working (a sub beside it changes nothing).
            await registry.RevokeSessionAsync(token.Issuer, sid, Reason, Endpoint, cancellationToken);
            return;
        }

        // iat has whole seconds and a token is revoked when its iat is earlier than the not-before:
        // one second later refuses every token issued up to the logout token's iat, that second included.
        await registry.RevokeSubjectBeforeAsync(token.Issuer, token.Subject!, token.IssuedAt.AddSeconds(1), Endpoint, cancellationToken);
    }

    private async Task ReleaseAsync(ILogoutTokenGrain replay, Guid claimant, LogoutToken token)
    {
        try
        {
            await replay.ReleaseAsync(claimant).WaitAsync(client.Value.CallTimeout);
        }
        catch (Exception ex)
        {
            // The claim lapses on its own after a minute.
            LogReleaseFailed(logger, ex, token.Issuer, token.Jti);
        }
    }

    private LogoutTokenRefusal Failed(LogoutToken token, Exception exception)
    {
        metrics.Received("error", "registry");
        LogFailed(logger, exception, token.Issuer, token.Jti);
        return new LogoutTokenRefusal(
            "registry",
            "The revocation could not be completed; nothing is confirmed. Deliver the logout token again.",
            LogoutTokenRefusal.TemporarilyUnavailable);
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Information,
        Message = "Back-channel logout of issuer {Issuer} (logout token {Jti}): revoked subject {Subject} session {SessionId} up to {IssuedAt:o}, acknowledged by every node")]
    private static partial void LogRevoked(ILogger logger, string issuer, string jti, string? subject, string? sessionId, DateTimeOffset issuedAt);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Back-channel logout token refused ({Reason}): {Description}")]
    private static partial void LogRefused(ILogger logger, string reason, string description);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "Back-channel logout token {Jti} of issuer {Issuer} refused as a replay ({Claim})")]
    private static partial void LogReplayed(ILogger logger, string issuer, string jti, LogoutTokenClaim claim);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "Back-channel logout token {Jti} of issuer {Issuer}: the revocation failed; nothing confirmed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string issuer, string jti);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Warning, Message = "Back-channel logout token {Jti} of issuer {Issuer}: revoked, but not recorded as seen (a replay would revoke the same again)")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string issuer, string jti);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Warning, Message = "Back-channel logout token {Jti} of issuer {Issuer}: its claim could not be released (it lapses within a minute)")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string issuer, string jti);
}
