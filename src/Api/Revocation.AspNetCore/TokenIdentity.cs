using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.AspNetCore;

/// <summary>What the revocation check needs from a validated token.</summary>
/// <param name="Jti">The token id (<c>jti</c>).</param>
/// <param name="Subject">The subject (<c>sub</c>).</param>
/// <param name="IssuedAt">When it was issued (<c>iat</c>).</param>
/// <param name="ExpiresAt">When it expires (<c>exp</c>): no answer about it is cached beyond that.</param>
public sealed record TokenIdentity(string? Jti, string? Subject, DateTimeOffset? IssuedAt, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The session id claim (OpenID Connect Front- and Back-Channel Logout).</summary>
    internal const string SessionClaim = "sid";

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// The issuer (<c>iss</c>). A jti and a sub are unique only per issuer: the registry keys
    /// revocations by (iss, jti) and (iss, sub) (<see cref="Abstractions.IssuerKey"/>). Also whose clock
    /// <see cref="IssuedAt"/> was read on: the check learns each issuer's clock offset from it
    /// (<see cref="IssuerClocks.IssuerClockOffsets"/>). <c>null</c> (a token without <c>iss</c>, which
    /// only a JwtBearer that validates no issuer accepts) is the empty issuer.
    /// </summary>
    public string? Issuer { get; init; }

    /// <summary>
    /// The session (<c>sid</c>, OpenID Connect) the token belongs to: once the registry revoked
    /// (<c>iss</c>, <c>sid</c>), every token carrying it is refused. <c>null</c>: none (a token
    /// without one costs the check nothing more).
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>The issuer as the registry keys it: the empty string for none.</summary>
    internal string ScopeIssuer => Issuer ?? "";

    /// <summary>The (iss, jti) key; the jti must be present.</summary>
    internal Abstractions.IssuerKey TokenKey => new(ScopeIssuer, Jti!);

    /// <summary>The (iss, sub) key; the sub must be present.</summary>
    internal Abstractions.IssuerKey SubjectKey => new(ScopeIssuer, Subject!);

    /// <summary>The (iss, sid) key; the sid must be present.</summary>
    internal Abstractions.IssuerKey SessionKey => new(ScopeIssuer, SessionId!);

    public static TokenIdentity From(JsonWebToken token) => new(
        string.IsNullOrEmpty(token.Id) ? null : token.Id,
        string.IsNullOrEmpty(token.Subject) ? null : token.Subject,
        token.TryGetPayloadValue<long>(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Iat, out var iat) ? FromUnixSeconds(iat) : null,
        token.TryGetPayloadValue<long>(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Exp, out var exp) ? FromUnixSeconds(exp) : null)
    {
        Issuer = string.IsNullOrEmpty(token.Issuer) ? null : token.Issuer,
        SessionId = token.TryGetPayloadValue<string>(SessionClaim, out var sid) && !string.IsNullOrEmpty(sid) ? sid : null,
    };

    /// <summary>
    /// The identity of a token JwtBearer validated: a <see cref="JsonWebToken"/>, or a
    /// <see cref="JwtSecurityToken"/> when the application switched JwtBearer back to the legacy
    /// validators; <c>null</c> for anything else.
    /// </summary>
    public static TokenIdentity? From(SecurityToken? token) => token switch
    {
        JsonWebToken jwt => From(jwt),
        JwtSecurityToken legacy => new(
            string.IsNullOrEmpty(legacy.Id) ? null : legacy.Id,
            string.IsNullOrEmpty(legacy.Subject) ? null : legacy.Subject,
            legacy.Payload.IssuedAt == DateTime.MinValue ? null : new DateTimeOffset(legacy.Payload.IssuedAt, TimeSpan.Zero),
            legacy.Payload.ValidTo == DateTime.MinValue ? null : new DateTimeOffset(legacy.Payload.ValidTo, TimeSpan.Zero))
        {
            Issuer = string.IsNullOrEmpty(legacy.Issuer) ? null : legacy.Issuer,
            SessionId = legacy.Payload.TryGetValue(SessionClaim, out var sid) && sid is string { Length: > 0 } session ? session : null,
        },
        _ => null,
    };

    /// <summary>
    /// An issuer may sign any number: one beyond what a <see cref="DateTimeOffset"/> holds is
    /// clamped to its ends (later than any not-before: "in the future"; earlier: "issued long ago")
    /// instead of throwing.
    /// </summary>
    private static DateTimeOffset FromUnixSeconds(long seconds) =>
        seconds < MinUnixSeconds ? DateTimeOffset.MinValue
        : seconds > MaxUnixSeconds ? DateTimeOffset.MaxValue
        : DateTimeOffset.FromUnixTimeSeconds(seconds);
}
