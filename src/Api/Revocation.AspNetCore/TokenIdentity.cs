using Microsoft.IdentityModel.JsonWebTokens;

namespace Revocation.AspNetCore;

/// <summary>What the revocation check needs from a validated token.</summary>
/// <param name="Jti">The token id (<c>jti</c>).</param>
/// <param name="Subject">The subject (<c>sub</c>).</param>
/// <param name="IssuedAt">When it was issued (<c>iat</c>).</param>
public sealed record TokenIdentity(string? Jti, string? Subject, DateTimeOffset? IssuedAt)
{
    public static TokenIdentity From(JsonWebToken token) => new(
        string.IsNullOrEmpty(token.Id) ? null : token.Id,
        string.IsNullOrEmpty(token.Subject) ? null : token.Subject,
        token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : null);
}
