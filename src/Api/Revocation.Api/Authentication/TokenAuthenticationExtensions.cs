using Microsoft.AspNetCore.Authentication.JwtBearer;
using Revocation.Api.CheckModes;
using Revocation.AspNetCore;
using Revocation.Hosting;

namespace Revocation.Api.Authentication;

public static class TokenAuthenticationExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>JwtBearer from the <c>Jwt</c> section, the revocation check on top, and the admin policy.</summary>
    public static WebApplicationBuilder AddTokenAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<JwtOptions, JwtOptionsValidator>(builder.Configuration.GetSection(JwtOptions.SectionName));
        services.AddSingleton<IssuerTrust>();
        services.AddSingleton<Endpoints.AdminIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddRevocationCheck();
        services.AddCheckModes(builder.Configuration);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IssuerTrust>((bearer, trust) => trust.Apply(bearer));

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => Scopes.Has(c.User, Scopes.Admin)));
        services.AddSingleton<TokenValidator>();
        return builder;
    }
}
