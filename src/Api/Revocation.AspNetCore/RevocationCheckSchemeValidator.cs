using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Revocation.AspNetCore;

/// <summary>
/// Stops the start when the scheme <c>AddRevocationCheck</c> was given would not run the check:
/// absent, or served by a handler other than JwtBearer's (the check would silently not run).
/// </summary>
internal sealed class RevocationCheckSchemeValidator(string scheme) : IValidateOptions<AuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthenticationOptions options)
    {
        if (!options.SchemeMap.TryGetValue(scheme, out var builder))
        {
            return ValidateOptionsResult.Fail(
                $"AddRevocationCheck(\"{scheme}\"): there is no authentication scheme named \"{scheme}\"; add it with AddJwtBearer(\"{scheme}\", ...) or pass the name of the JwtBearer scheme to check.");
        }

        return builder.HandlerType == typeof(RevocationCheckingJwtBearerHandler)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"AddRevocationCheck(\"{scheme}\"): the scheme is handled by {builder.HandlerType?.FullName}, not {typeof(JwtBearerHandler).FullName}; " +
                "the revocation check runs inside JwtBearer's handler and would be skipped. Use AddJwtBearer for this scheme, or do not add the check to it.");
    }
}
