using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Revocation.Api.Authentication;

/// <summary>
/// The floor of the check path, for <c>scripts/bench.sh</c> (mode JwtOnly): <c>GET /bench/jwt-only</c>
/// answers as <c>/me</c> does, in the same host with the same middleware and JwtBearer settings, after
/// JWT validation alone — no revocation check — so that the check's cost is measured against what
/// validating a token costs anyway. It accepts revoked tokens: Development only, and off unless
/// <see cref="SettingName"/> is true.
/// </summary>
public static class CheckFloorEndpoint
{
    public const string SettingName = "Benchmarks:CheckFloorEndpoint";
    public const string Path = "/bench/jwt-only";

    /// <summary>JwtBearer without the revocation check, for <see cref="Path"/> only.</summary>
    public const string Scheme = "JwtValidationOnly";

    /// <summary>The default scheme while the floor is on: <see cref="Scheme"/> for <see cref="Path"/>, the checked JwtBearer for everything else.</summary>
    private const string Selector = "JwtBearerOrFloor";

    /// <summary>Whether the floor endpoint is on; throws, naming the setting, when it is asked for outside Development.</summary>
    public static bool IsOn(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!configuration.GetValue<bool>(SettingName))
        {
            return false;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{SettingName}=true maps {Path}, which accepts revoked tokens (JWT validation only, to measure the revocation check against); " +
                $"it is refused outside Development (environment: {environment.EnvironmentName}). Remove the setting.");
        }

        return true;
    }

    /// <summary>
    /// Registers the unchecked JwtBearer scheme and a default scheme that uses it for <see cref="Path"/>
    /// only, when the final configuration turns the floor on (decided as the authentication options are
    /// built, so that settings added after registration count; with the floor off nothing changes).
    /// </summary>
    public static void AddSchemes(IServiceCollection services)
    {
        services.AddOptions<AuthenticationOptions>().Configure<IConfiguration, IHostEnvironment>((authentication, configuration, environment) =>
        {
            if (IsOn(configuration, environment))
            {
                authentication.AddScheme<JwtBearerHandler>(Scheme, displayName: null);
                authentication.AddScheme<PolicySchemeHandler>(Selector, displayName: null);
                authentication.DefaultScheme = Selector;
            }
        });
        services.Configure<PolicySchemeOptions>(Selector, selector => selector.ForwardDefaultSelector = context =>
            context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) ? Scheme : JwtBearerDefaults.AuthenticationScheme);
    }
}
