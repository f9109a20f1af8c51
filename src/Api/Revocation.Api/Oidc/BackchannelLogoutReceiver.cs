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
internal sealed class BackchannelLogoutReceiver(
    LogoutTokenValidator validator,
    ReceivedOnce once,
    RegistryCalls registry,
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
            ApiLog.BackchannelRefused(logger, refusal.Reason, refusal.Description);
            return refusal;
        }

        var done = await once.RunAsync(token.Issuer, token.Jti, token.AcceptableUntil, () => RevokeAsync(token, cancellationToken), cancellationToken);
        switch (done.Outcome)
        {
            case ReceivedOnceOutcome.Failed:
                return Failed(token, done.Error!);
            case ReceivedOnceOutcome.Seen or ReceivedOnceOutcome.InProgress:
                var seen = done.Outcome == ReceivedOnceOutcome.Seen;
                metrics.Received("replayed", seen ? "replay" : "in_progress");
                ApiLog.BackchannelReplayed(logger, token.Issuer, token.Jti, done.Outcome);
                return new LogoutTokenRefusal("replay", seen
                    ? "This logout token (its jti) was received before."
                    : "This logout token (its jti) is being processed from another delivery.");
        }

        metrics.Received("ok", token.SessionId is not null ? "sid" : "sub");
        ApiLog.BackchannelRevoked(logger, token.Issuer, token.Jti, token.Subject, token.SessionId, token.IssuedAt);
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

    private LogoutTokenRefusal Failed(LogoutToken token, Exception exception)
    {
        metrics.Received("error", "registry");
        ApiLog.BackchannelFailed(logger, exception, token.Issuer, token.Jti);
        return new LogoutTokenRefusal(
            "registry",
            "The revocation could not be completed; nothing is confirmed. Deliver the logout token again.",
            LogoutTokenRefusal.TemporarilyUnavailable);
    }
}
