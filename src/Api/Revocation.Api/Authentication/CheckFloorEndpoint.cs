namespace Revocation.Api.Authentication;

/// <summary>
/// The floor of the check path, for <c>scripts/bench.sh</c> (mode JwtOnly): <c>GET /bench/jwt-only</c>
/// answers as <c>/me</c> does, in the same host with the same middleware, JwtBearer scheme and events,
/// after JWT validation alone — the endpoint is exempt from the revocation check
/// (<c>WithoutRevocationCheck</c>) — so that the check's cost is measured against what
/// validating a token costs anyway. It accepts revoked tokens: Development only, and off unless
/// <see cref="SettingName"/> is true.
/// </summary>
public static class CheckFloorEndpoint
{
    public const string SettingName = "Benchmarks:CheckFloorEndpoint";
    public const string Path = "/bench/jwt-only";

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
}
