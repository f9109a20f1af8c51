using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Api.Authentication;

/// <summary>
/// Validates a token passed in a request body (RFC 7009 revocation, RFC 7662 introspection) with
/// exactly the bearer scheme's rules: same keys, issuer, audience, algorithms, lifetime and skew.
/// </summary>
public sealed class TokenValidator(IOptionsMonitor<JwtBearerOptions> bearerOptions)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>The validated token, or <c>null</c> when it is malformed, badly signed, expired or not ours.</summary>
    public async Task<ValidatedToken?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var bearer = bearerOptions.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = bearer.TokenValidationParameters.Clone();
        if (bearer.ConfigurationManager is { } metadata)
        {
            var configuration = await metadata.GetConfigurationAsync(cancellationToken);
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid && result.SecurityToken is JsonWebToken jwt
            ? new ValidatedToken(jwt, new ClaimsPrincipal(result.ClaimsIdentity), parameters.ClockSkew)
            : null;
    }
}

/// <summary>A token that passed validation, and the clock skew it was validated with.</summary>
public sealed record ValidatedToken(JsonWebToken Token, ClaimsPrincipal Principal, TimeSpan ClockSkew);
