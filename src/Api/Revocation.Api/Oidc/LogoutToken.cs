namespace Revocation.Api.Oidc;

/// <summary>A logout token that passed every check of Back-Channel Logout 1.0 §2.6 but the replay check.</summary>
/// <param name="Issuer">Its <c>iss</c>, a trusted issuer with the receiver on.</param>
/// <param name="Jti">Its <c>jti</c>: what the replay check keys on (with the issuer).</param>
/// <param name="Subject">Its <c>sub</c>, if any.</param>
/// <param name="SessionId">Its <c>sid</c>, if any; at least one of the two is present.</param>
/// <param name="IssuedAt">Its <c>iat</c>, on the provider's clock.</param>
/// <param name="AcceptableUntil">The last instant a delivery of it would pass the checks (its <c>exp</c> or its age limit, plus the skew): how long its <c>jti</c> must be remembered.</param>
internal sealed record LogoutToken(string Issuer, string Jti, string? Subject, string? SessionId, DateTimeOffset IssuedAt, DateTimeOffset AcceptableUntil);
