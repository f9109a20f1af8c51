using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Revocation.AspNetCore;
using Revocation.AspNetCore.IssuerClocks;

namespace Revocation.Api.Registry;

/// <summary>
/// The not-before of a subject-wide revocation made through this node, as an instant on the
/// issuers' clocks: this node's now + the issuer's learnt clock offset δ̂ + the margin g
/// (<see cref="LogoutEverywhereOptions"/>), not rounded (a token is revoked when its whole-second
/// <c>iat</c> is earlier). The call must then last at least g: a token issued a second after it
/// returned carries an <c>iat</c> later than return + δ − 1 s ≥ now + g + δ̂, the not-before,
/// because δ̂ never exceeds δ; and every token issued before now carries an <c>iat</c> earlier than
/// now + δ ≤ the not-before as long as δ − δ̂ ≤ g.
/// </summary>
/// <remarks>
/// Subjects are scoped by issuer, so the not-before is on that issuer's clock alone. For an issuer
/// with no recent sample the issuer is assumed to run the full clock skew ahead, which refuses every
/// earlier token this node could accept but may refuse a sign-in right after for up to the skew:
/// logged once per issuer and counted.
/// </remarks>
internal sealed class SubjectNotBefore(
    IssuerClockOffsets issuerClocks,
    IOptions<LogoutEverywhereOptions> options,
    TimeProvider time,
    RevocationMetrics metrics,
    ILogger<SubjectNotBefore> logger)
{
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    /// <summary>The not-before of a revocation starting now, and how long its call must last at least.</summary>
    /// <param name="issuer">The issuer whose subject is revoked: the not-before is on its clock.</param>
    /// <param name="validation">The bearer scheme's validation: its clock skew.</param>
    public (DateTimeOffset NotBefore, TimeSpan MinimumDuration) Next(string issuer, TokenValidationParameters validation)
    {
        var margin = options.Value.IssuerClockMargin;
        return (time.GetUtcNow() + Lead(issuer, margin, validation.ClockSkew), margin);
    }

    /// <summary>How far past this node's now the not-before must lie for <paramref name="issuer"/>'s tokens.</summary>
    private TimeSpan Lead(string issuer, TimeSpan margin, TimeSpan skew)
    {
        if (issuerClocks.Offset(issuer) is not { } offset)
        {
            return Unknown(issuer, skew);
        }

        // Samples never exceed the skew (tokens further ahead are refused). Within the skew on either
        // side is what the guarantee assumes: an estimate further behind is stale, and held to it.
        var lead = (offset < -skew ? -skew : offset) + margin;

        // No token this node accepts was issued later than now + skew by an issuer within the skew.
        return lead > skew ? skew : lead;
    }

    private TimeSpan Unknown(string issuer, TimeSpan skew)
    {
        metrics.IssuerClockUnknown();
        if (_reported.TryAdd(issuer, true))
        {
            ApiLog.IssuerClockUnknown(logger, issuer, issuerClocks.Window, skew);
        }

        return skew;
    }
}
