using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Api.Authentication;

/// <summary>
/// The trusted issuers of <c>Jwt</c> (<see cref="JwtOptions.TrustedIssuers"/>) as JwtBearer's
/// validation: a token is accepted when its <c>iss</c> is one of them, it is signed with a key of
/// that issuer (its own <c>SigningKey</c>/<c>PublicKeys</c>, or its authority's JWKS), carries that
/// issuer's audience, and is an access token (<see cref="AccessTokenType"/>; <c>typ: at+jwt</c> where
/// the issuer requires it). One instance per node: one metadata cache per authority.
/// </summary>
internal sealed class IssuerTrust
{
    private readonly Dictionary<string, Trusted> _issuers = new(StringComparer.Ordinal);
    private readonly Dictionary<SecurityKey, string> _keyOwners = new(ReferenceEqualityComparer.Instance);
    private readonly IssuerMetadata? _metadata;
    private readonly string[] _algorithms;

    public IssuerTrust(IOptions<JwtOptions> options, IHostEnvironment environment)
    {
        var jwt = options.Value;
        ClockSkew = jwt.ClockSkew;
        var authorities = new List<(string, IConfigurationManager<OpenIdConnectConfiguration>)>();
        var algorithms = new HashSet<string>();
        foreach (var (_, entry) in jwt.TrustedIssuers())
        {
            var issuer = entry.Issuer!;
            var keys = new List<SecurityKey>();
            if (JwtKeys.SymmetricKey(entry.SigningKey) is { } symmetric)
            {
                keys.Add(symmetric);
            }

            keys.AddRange(entry.PublicKeys.Select(pem => JwtKeys.TryReadPublicKey(pem)!));
            foreach (var key in keys)
            {
                _keyOwners[key] = issuer;
            }

            algorithms.UnionWith(JwtKeys.AllowedAlgorithms(entry.Authority, keys));
            if (!string.IsNullOrWhiteSpace(entry.Authority))
            {
                var requireHttps = entry.RequireHttpsMetadata ?? !environment.IsDevelopment();
                var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1), MaxResponseContentBufferSize = 10 * 1024 * 1024 };
                authorities.Add((issuer, new ConfigurationManager<OpenIdConnectConfiguration>(
                    $"{entry.Authority.TrimEnd('/')}/.well-known/openid-configuration",
                    new OpenIdConnectConfigurationRetriever(),
                    new HttpDocumentRetriever(http) { RequireHttps = requireHttps })));
            }

            _issuers[issuer] = new Trusted(entry.Audience!, entry.RequireAccessTokenType ?? false);
        }

        Issuers = [.. _issuers.Keys];
        StaticKeys = [.. _keyOwners.Keys];
        _algorithms = [.. algorithms];
        _metadata = authorities.Count > 0 ? new IssuerMetadata(authorities) : null;
    }

    /// <summary>The trusted issuers, the section's own first.</summary>
    public IReadOnlyList<string> Issuers { get; }

    /// <summary>The configured keys of every issuer (authority keys arrive through the metadata).</summary>
    public IReadOnlyList<SecurityKey> StaticKeys { get; }

    public TimeSpan ClockSkew { get; }

    /// <summary>Configures a JwtBearer scheme with this trust.</summary>
    public void Apply(JwtBearerOptions bearer)
    {
        // Claims keep their JWT names (sub, jti, scope, iss) instead of legacy XML-schema URIs.
        bearer.MapInboundClaims = false;
        bearer.IncludeErrorDetails = true;
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.SecurityToken is JsonWebToken token)
                {
                    context.HttpContext.Features.Set(new ValidatedBearerToken(token));
                }

                return Task.CompletedTask;
            },
        };
        if (_metadata is not null)
        {
            bearer.ConfigurationManager = _metadata;
        }

        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = Issuers,
            ValidAudiences = [.. _issuers.Values.Select(i => i.Audience).Distinct(StringComparer.Ordinal)],
            AudienceValidator = AudienceOfItsIssuer,
            IssuerSigningKeyResolver = KeysOfItsIssuer,
            IssuerSigningKeyValidator = KeyOfItsIssuer,
            TypeValidator = AccessTokenOnly,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            IssuerSigningKeys = StaticKeys,
            ValidAlgorithms = _algorithms,
            ClockSkew = ClockSkew,
            NameClaimType = "sub",
        };
    }

    /// <summary>
    /// The keys a token is tried with: its issuer's only (the configured ones and, merged in by
    /// JwtBearer, those its authority published). Two issuers may even share a key: each token is
    /// still tried with — and bound to — its own issuer's.
    /// </summary>
    private IEnumerable<SecurityKey> KeysOfItsIssuer(string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters) =>
        (parameters.IssuerSigningKeys ?? []).Where(key => KeyOfItsIssuer(key, securityToken, parameters));

    /// <summary>A key verifies only tokens of the issuer it was configured for, or whose metadata published it.</summary>
    private bool KeyOfItsIssuer(SecurityKey key, SecurityToken token, TokenValidationParameters parameters)
    {
        var owner = _keyOwners.TryGetValue(key, out var configured) ? configured : _metadata?.OwnerOf(key);
        return owner is not null && string.Equals(owner, token.Issuer, StringComparison.Ordinal);
    }

    private bool AudienceOfItsIssuer(IEnumerable<string> audiences, SecurityToken token, TokenValidationParameters parameters) =>
        _issuers.TryGetValue(token.Issuer ?? "", out var trusted) && audiences.Contains(trusted.Audience, StringComparer.Ordinal);

    private string AccessTokenOnly(string type, SecurityToken token, TokenValidationParameters parameters)
    {
        if (token is not JsonWebToken jwt)
        {
            throw new SecurityTokenInvalidTypeException("Only JSON web tokens are accepted.") { InvalidType = type };
        }

        if (AccessTokenType.NotAnAccessToken(type, jwt) is { } why)
        {
            throw new SecurityTokenInvalidTypeException($"Refused: {why}.") { InvalidType = type };
        }

        if (_issuers.TryGetValue(jwt.Issuer ?? "", out var trusted) && trusted.RequireAccessTokenType && !AccessTokenType.IsAccessTokenType(type))
        {
            throw new SecurityTokenInvalidTypeException(
                $"Refused: the issuer's access tokens must be typed '{AccessTokenType.AccessToken}' (RequireAccessTokenType), this one is '{type}'.") { InvalidType = type };
        }

        return type;
    }

    private sealed record Trusted(string Audience, bool RequireAccessTokenType);
}
