using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Revocation.Api.Authentication;

namespace Revocation.Api.Issuing;

/// <summary>Mints HS256 tokens with <c>Jwt:SigningKey</c> for development and tests.</summary>
public sealed class DevTokenIssuer(IOptions<JwtOptions> jwt, IOptions<IssuerOptions> issuer, TimeProvider time)
{
    private const int MaxSubjectLength = 256;
    private const int MaxScopeLength = 1024;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Checks a request; returns field → errors (empty when valid).</summary>
    public Dictionary<string, string[]> Validate(TokenRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Sub) || request.Sub.Length > MaxSubjectLength || request.Sub.Any(char.IsControl))
        {
            errors["sub"] = [$"sub is required: 1–{MaxSubjectLength} characters without control characters."];
        }

        var max = (long)issuer.Value.MaxLifetime.TotalSeconds;
        if (request.LifetimeSeconds is { } seconds && (seconds < 1 || seconds > max))
        {
            errors["lifetimeSeconds"] = [$"lifetimeSeconds must be between 1 and {max}."];
        }

        if (request.Scope is { } scope && (scope.Length > MaxScopeLength || scope.Any(char.IsControl)))
        {
            errors["scope"] = [$"scope must be at most {MaxScopeLength} characters without control characters."];
        }

        if (JwtKeys.SymmetricKey(jwt.Value.SigningKey) is null)
        {
            errors["issuer"] = [$"The development issuer needs {JwtOptions.SectionName}:{nameof(JwtOptions.SigningKey)}."];
        }

        return errors;
    }

    /// <summary>Issues a token for a request that passed <see cref="Validate"/>.</summary>
    public TokenResponse Issue(TokenRequest request)
    {
        var now = time.GetUtcNow();
        var lifetime = request.LifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : issuer.Value.DefaultLifetime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Jti] = NewJti(),
            [JwtRegisteredClaimNames.Sub] = request.Sub!,
        };
        if (!string.IsNullOrWhiteSpace(request.Scope))
        {
            claims["scope"] = request.Scope;
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            TokenType = Authentication.AccessTokenType.AccessToken, // RFC 9068: what it mints is an access token
            Audience = jwt.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(JwtKeys.SymmetricKey(jwt.Value.SigningKey), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, "Bearer", (long)lifetime.TotalSeconds);
    }

    /// <summary>128 random bits, URL-safe base64 without padding (22 characters).</summary>
    private static string NewJti() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
