using Microsoft.IdentityModel.JsonWebTokens;

namespace Revocation.Api.Authentication;

/// <summary>
/// The token the bearer scheme validated for this request, as a request feature: set when JwtBearer
/// validated it, before the revocation check (a request whose check fails never reaches an endpoint).
/// For endpoints that need the signed payload as written (the forward-auth endpoint's identity headers).
/// </summary>
public sealed record ValidatedBearerToken(JsonWebToken Token);
