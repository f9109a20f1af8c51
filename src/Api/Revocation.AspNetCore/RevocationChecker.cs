using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;
using Revocation.AspNetCore.IssuerClocks;
using Revocation.AspNetCore.Lookups;

namespace Revocation.AspNetCore;

/// <summary>
/// Asks the node's lookup (<see cref="Lookups.IRevocationLookup"/>) whether a validated token is
/// revoked — by its jti, its subject's not-before or its session — within
/// <see cref="RevocationCheckOptions.Timeout"/>, and applies the failure policy; every setting comes
/// from <see cref="RevocationCheckSettings"/>, as the endpoints' do. Every token it is asked about
/// also tells its issuer's clock offset (<see cref="IssuerClockOffsets"/>).
/// </summary>
public sealed class RevocationChecker
{
    /// <summary>
    /// Rejection lines written per minute, all together (each jti and reason at most once); the rest
    /// are summed up in one line.
    /// </summary>
    internal const int RejectionLinesPerMinute = 1000;

    /// <summary>
    /// Registry failure lines (each with a stack trace) written per minute, all together (each kind
    /// of failure under each policy at most once); the rest are summed up in one line.
    /// </summary>
    internal const int FailureLinesPerMinute = 10;

    private readonly IRevocationLookup _lookup;
    private readonly RevocationCheckSettings _settings;
    private readonly TimeProvider _time;
    private readonly RevocationMetrics _metrics;
    private readonly ILogger<RevocationChecker> _logger;
    private readonly LogBudget _rejections;
    private readonly LogBudget _failures;

    // Made once: a method group turned into a delegate at each call would allocate one per request.
    private readonly Action<string, string, string> _countCheck;
    private readonly Action<string, string, string> _countIntrospection;

    internal RevocationChecker(
        IRevocationLookup lookup,
        RevocationCheckSettings settings,
        TimeProvider time,
        RevocationMetrics metrics,
        ILogger<RevocationChecker> logger)
        : this(lookup, settings, time, metrics, logger, new IssuerClockOffsets(time, Options.Create(new IssuerClockOptions())))
    {
    }

    /// <summary>The checker of <c>AddRevocationCheck</c>: its samples feed the node's one <see cref="IssuerClockOffsets"/>.</summary>
    internal RevocationChecker(
        IRevocationLookup lookup,
        RevocationCheckSettings settings,
        TimeProvider time,
        RevocationMetrics metrics,
        ILogger<RevocationChecker> logger,
        IssuerClockOffsets issuerClocks)
    {
        _lookup = lookup;
        _settings = settings;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        IssuerClocks = issuerClocks;
        _rejections = new(time, RejectionLinesPerMinute, TimeSpan.FromMinutes(1));
        _failures = new(time, FailureLinesPerMinute, TimeSpan.FromMinutes(1));
        _countCheck = metrics.Checked;
        _countIntrospection = metrics.Introspected;
    }

    /// <summary>The issuers' clock offsets learnt from the tokens checked here.</summary>
    internal IssuerClockOffsets IssuerClocks { get; }

    /// <summary>The verdict for a token whose signature and lifetime have already been validated.</summary>
    /// <param name="token">The token's iss, jti, sub and iat.</param>
    /// <param name="clockSkew">How far in the future an <c>iat</c> may be (the validator's clock skew).</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public Task<RevocationVerdict> CheckAsync(TokenIdentity token, TimeSpan clockSkew, CancellationToken cancellationToken) =>
        DecideAsync(token, clockSkew, _countCheck, cancellationToken);

    /// <summary>
    /// The same verdict for RFC 7662 introspection, counted as an introspection: a client asking
    /// about a token is not a request carrying it, and must not inflate <c>revocation_checks_total</c>.
    /// </summary>
    public Task<RevocationVerdict> IntrospectAsync(TokenIdentity token, TimeSpan clockSkew, CancellationToken cancellationToken) =>
        DecideAsync(token, clockSkew, _countIntrospection, cancellationToken);

    private async Task<RevocationVerdict> DecideAsync(
        TokenIdentity token, TimeSpan clockSkew, Action<string, string, string> count, CancellationToken cancellationToken)
    {
        // One read per check: a reload in the middle cannot mix two settings' rules.
        var current = _settings.Current;
        var policy = current.FailurePolicy == RevocationFailurePolicy.FailOpen ? "fail_open" : "fail_closed";
        if (Refuse(token, current, clockSkew) is { } refusal)
        {
            count(refusal.Outcome, policy, _lookup.Mode);
            LogRejected(refusal.Outcome, token.Jti);
            return refusal.Verdict;
        }

        if (token is { Issuer: { } issuer, IssuedAt: { } issuedAt })
        {
            IssuerClocks.Record(issuer, issuedAt, clockSkew);
        }

        var checkSubject = current.ChecksSubject;
        if (token.Jti is null && !checkSubject && (token.SessionId is null || !current.ChecksSession))
        {
            // Allowed without a jti (RequireJti off) and no subject rule: nothing to look up.
            count("ok", policy, _lookup.Mode);
            return RevocationVerdict.NotRevoked;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            // The wait is bounded here for every lookup (grain calls cannot be cancelled); a lookup
            // that holds a resource (a pooled connection) bounds its own wait as well.
            var result = await _lookup.LookupAsync(token, checkSubject, cancellationToken).WaitAsync(current.Timeout, cancellationToken);
            _metrics.CheckDuration(Stopwatch.GetElapsedTime(started), _lookup.Mode);
            if (result != LookupResult.NotRevoked)
            {
                var outcome = result switch
                {
                    LookupResult.RevokedByJti => "revoked",
                    LookupResult.RevokedBySession => "session_revoked",
                    _ => "subject_revoked",
                };
                count(outcome, policy, _lookup.Mode);
                LogRejected(outcome, token.Jti);
                return RevocationVerdict.Revoked;
            }

            count("ok", policy, _lookup.Mode);
            return RevocationVerdict.NotRevoked;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.CheckDuration(Stopwatch.GetElapsedTime(started), _lookup.Mode);
            count("error", policy, _lookup.Mode);
            var failOpen = current.FailurePolicy == RevocationFailurePolicy.FailOpen;
            LogFailed(failOpen, ex, token.Jti);
            return failOpen ? RevocationVerdict.NotRevoked : RevocationVerdict.Unavailable;
        }
    }

    /// <summary>
    /// Every rejection is counted in the metrics, but a jti is logged once a minute for each reason, within
    /// a budget per minute: a client replaying a revoked token at full speed must not flood the log.
    /// </summary>
    private void LogRejected(string outcome, string? jti)
    {
        if (MayLog(_rejections, LogLevel.Information, HashCode.Combine(outcome, jti), RevocationCheckLog.RejectionsSuppressed))
        {
            var loggable = Loggable(jti); // logging is known to be on here
            RevocationCheckLog.Rejected(_logger, outcome, loggable);
        }
    }

    /// <summary>
    /// Every failed check is counted in the metrics (<c>outcome="error"</c>), but its line and stack
    /// trace are written once a minute for each kind of failure, within a budget of their own: a client
    /// sending valid tokens at full speed while the registry is down must not flood the log, and a flood
    /// of rejections must not crowd out the lines that say why checks fail. The jti of the line written
    /// is one example; the failure is the registry's, not the token's.
    /// </summary>
    private void LogFailed(bool failOpen, Exception exception, string? jti)
    {
        if (!MayLog(_failures, failOpen ? LogLevel.Warning : LogLevel.Error, HashCode.Combine(failOpen, exception.GetType()), RevocationCheckLog.FailuresSuppressed))
        {
            return;
        }

        if (failOpen)
        {
            RevocationCheckLog.FailedOpen(_logger, exception, jti);
        }
        else
        {
            RevocationCheckLog.FailedClosed(_logger, exception, jti);
        }
    }

    /// <summary>Whether a line of <paramref name="key"/> may be written now; sums up first what the budget held back.</summary>
    private bool MayLog(LogBudget budget, LogLevel level, int key, Action<ILogger, long, TimeSpan, int> summarize)
    {
        if (!_logger.IsEnabled(level) || !budget.TryTake(key, out var suppressed))
        {
            return false;
        }

        if (suppressed > 0)
        {
            summarize(_logger, suppressed, budget.Window, budget.LinesPerWindow);
        }

        return true;
    }

    /// <summary>
    /// A jti that breaks the input rules may carry control characters or line breaks (log
    /// injection) or be huge: it is described, not written.
    /// </summary>
    private static string? Loggable(string? jti) =>
        jti is null || TokenInput.CheckJti(jti) is null ? jti : $"(invalid jti of {jti.Length} characters)";

    /// <summary>Rules decided without the registry: absent or malformed claims.</summary>
    private (RevocationVerdict Verdict, string Outcome)? Refuse(TokenIdentity token, RevocationCheckOptions current, TimeSpan clockSkew)
    {
        if (token.Jti is null && current.RequireJti)
        {
            return (RevocationVerdict.MissingJti, "no_jti");
        }

        if (token.Jti is not null && TokenInput.CheckJti(token.Jti) is not null)
        {
            return (RevocationVerdict.InvalidJti, "invalid_jti");
        }

        if (TokenInput.CheckIssuer(token.ScopeIssuer) is not null)
        {
            return (RevocationVerdict.InvalidIssuer, "invalid_iss");
        }

        if (token.SessionId is not null && current.ChecksSession && TokenInput.CheckSession(token.SessionId) is not null)
        {
            return (RevocationVerdict.InvalidSession, "invalid_sid");
        }

        if (!current.ChecksSubject)
        {
            return null;
        }

        if (token.IssuedAt is not { } issuedAt)
        {
            return (RevocationVerdict.MissingIssuedAt, "no_iat");
        }

        if (issuedAt > _time.GetUtcNow() + clockSkew)
        {
            return (RevocationVerdict.IssuedInFuture, "future_iat");
        }

        if (token.Subject is not null && TokenInput.CheckSubject(token.Subject) is not null)
        {
            return (RevocationVerdict.InvalidSubject, "invalid_sub");
        }

        return null;
    }
}
