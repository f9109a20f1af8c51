using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.AspNetCore;

/// <summary>
/// The application's JwtBearer events with the check around them: after the application's own
/// <c>TokenValidated</c> (unless it already failed the request, or the endpoint is exempt:
/// <see cref="RevocationCheckExemption"/>), ask the registry; on challenge,
/// turn the check's verdict into the response, and JwtBearer's error description into one that
/// quotes nothing from the token, before the application's own <c>Challenge</c>.
/// Every other event goes to the application unchanged.
/// </summary>
internal sealed class RevocationCheckEvents(JwtBearerEvents application) : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context) => application.MessageReceived(context);

    public override Task AuthenticationFailed(AuthenticationFailedContext context) => application.AuthenticationFailed(context);

    public override Task Forbidden(ForbiddenContext context) => application.Forbidden(context);

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        await application.TokenValidated(context);

        // An application that called Success() has only vouched for the token's claims, not for
        // its revocation status: check it all the same. Fail() and NoResult() stand. An endpoint
        // marked WithoutRevocationCheck (a plain logout) is not checked.
        if ((context.Result is null || context.Result.Succeeded) && !RevocationCheckExemption.Applies(context.HttpContext))
        {
            await CheckAsync(context);
        }
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        switch (context.AuthenticateFailure)
        {
            case SecurityTokenRevokedException revoked:
                context.Error = "invalid_token";
                context.ErrorDescription = BearerErrorDescription.For(revoked);
                break;
            case RegistryUnavailableException:
                context.HandleResponse();
                await RegistryUnavailableResponse.WriteAsync(context.HttpContext);
                return;
            case { } failure when context.ErrorDescription is not null:
                // JwtBearer filled in its own (IncludeErrorDetails), which may quote the token's claims.
                context.ErrorDescription = BearerErrorDescription.For(failure);
                break;
        }

        await application.Challenge(context);
    }

    private static async Task CheckAsync(TokenValidatedContext context)
    {
        if (TokenIdentity.From(context.SecurityToken) is not { } token)
        {
            // JwtBearer hands over a JWT for every token it validated; anything else cannot be checked.
            context.Fail(SecurityTokenRevokedException.For(RevocationVerdict.MissingJti));
            return;
        }

        var checker = context.HttpContext.RequestServices.GetRequiredService<RevocationChecker>();
        var skew = context.Options.TokenValidationParameters.ClockSkew;
        var verdict = await checker.CheckAsync(token, skew, context.HttpContext.RequestAborted);
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
}
