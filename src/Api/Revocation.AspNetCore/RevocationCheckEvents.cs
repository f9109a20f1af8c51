using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Revocation.AspNetCore;

/// <summary>
/// The two JwtBearer events the check hooks: after a token validated (signature, lifetime,
/// issuer, audience), ask the registry; on challenge, turn its verdict into the response.
/// </summary>
internal static class RevocationCheckEvents
{
    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var checker = context.HttpContext.RequestServices.GetRequiredService<RevocationChecker>();
        if (context.SecurityToken is not JsonWebToken jwt)
        {
            // JwtBearer hands over a JsonWebToken for every JWT it validated; anything else cannot be checked.
            context.Fail(SecurityTokenRevokedException.For(RevocationVerdict.MissingJti));
            return;
        }

        var skew = context.Options.TokenValidationParameters.ClockSkew;
        var verdict = await checker.CheckAsync(TokenIdentity.From(jwt), skew, context.HttpContext.RequestAborted);
        switch (verdict)
        {
            case RevocationVerdict.NotRevoked:
                return;
            case RevocationVerdict.Unavailable:
                context.Fail(new RegistryUnavailableException());
                return;
            default:
                context.Fail(SecurityTokenRevokedException.For(verdict));
                return;
        }
    }

    /// <returns>Whether the response was written here.</returns>
    public static async Task<bool> OnChallengeAsync(JwtBearerChallengeContext context)
    {
        switch (context.AuthenticateFailure)
        {
            case SecurityTokenRevokedException revoked:
                context.Error = "invalid_token";
                context.ErrorDescription = revoked.Message;
                return false;
            case RegistryUnavailableException:
                context.HandleResponse();
                await RegistryUnavailableResponse.WriteAsync(context.HttpContext);
                return true;
            default:
                return false;
        }
    }
}
