using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Revocation.AspNetCore;

namespace Revocation.Api.Authentication;

public static class TokenAuthenticationExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>JwtBearer from the <c>Jwt</c> section, the revocation check on top, and the admin policy.</summary>
    public static WebApplicationBuilder AddTokenAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JwtOptions>().Bind(builder.Configuration.GetSection(JwtOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddRevocationCheck();
        CheckFloorEndpoint.AddSchemes(services);
        foreach (var scheme in (string[])[JwtBearerDefaults.AuthenticationScheme, CheckFloorEndpoint.Scheme])
        {
            services.AddOptions<JwtBearerOptions>(scheme)
                .Configure<IOptions<JwtOptions>, IHostEnvironment>((bearer, jwt, environment) => Apply(bearer, jwt.Value, environment));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => Scopes.Has(c.User, Scopes.Admin)));
        services.AddSingleton<TokenValidator>();
        return builder;
    }

    private static void Apply(JwtBearerOptions bearer, JwtOptions jwt, IHostEnvironment environment)
    {
        var keys = new List<SecurityKey>();
        if (JwtKeys.SymmetricKey(jwt) is { } symmetric)
        {
            keys.Add(symmetric);
        }

        keys.AddRange(jwt.PublicKeys.Select(pem => JwtKeys.TryReadPublicKey(pem)!));

        // Claims keep their JWT names (sub, jti, scope) instead of legacy XML-schema URIs.
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
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            bearer.Authority = jwt.Authority;
            bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata ?? !environment.IsDevelopment();
        }

        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            IssuerSigningKeys = keys,
            ValidAlgorithms = JwtKeys.AllowedAlgorithms(jwt, keys),
            ClockSkew = jwt.ClockSkew,
            NameClaimType = "sub",
        };
    }
}
