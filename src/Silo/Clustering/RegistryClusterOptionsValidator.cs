using System.Net;
using Microsoft.Extensions.Options;
using Revocation.ClusterIdentity;

namespace Revocation.Silo.Clustering;

public sealed class RegistryClusterOptionsValidator : IValidateOptions<RegistryClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryClusterOptions options)
    {
        const string S = RegistryClusterOptions.SectionName;
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"{S}:{nameof(options.Provider)} must be AdoNet or Localhost (was {options.Provider}).");
        }

        if (!Enum.IsDefined(options.GrainDirectory))
        {
            failures.Add($"{S}:{nameof(options.GrainDirectory)} must be Distributed or Local (was {options.GrainDirectory}).");
        }

        RequireIdentifier(failures, ClusterIdentitySettings.ClusterIdKey, options.ClusterId);
        RequireIdentifier(failures, ClusterIdentitySettings.ServiceIdKey, options.ServiceId);
        RequirePort(failures, $"{S}:{nameof(options.SiloPort)}", options.SiloPort);
        RequirePort(failures, $"{S}:{nameof(options.GatewayPort)}", options.GatewayPort);
        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{S}:{nameof(options.SiloPort)} and {S}:{nameof(options.GatewayPort)} must differ (both {options.SiloPort}).");
        }

        if (options.PrimarySiloPort is { } primary)
        {
            RequirePort(failures, $"{S}:{nameof(options.PrimarySiloPort)}", primary);
            if (options.Provider != ClusterProvider.Localhost)
            {
                failures.Add($"{S}:{nameof(options.PrimarySiloPort)} applies only to {S}:{nameof(options.Provider)}=Localhost; AdoNet silos find each other in the membership table.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && options.AdvertisedAddress is { } address && Uri.CheckHostName(address) == UriHostNameType.Unknown)
        {
            failures.Add($"{S}:{nameof(options.AdvertisedAddress)} must be an IP address or a host name (was '{address}').");
        }

        if (options.Provider == ClusterProvider.Localhost && !string.IsNullOrWhiteSpace(options.AdvertisedAddress) && options.AdvertisedAddress is { } local
            && !(IPAddress.TryParse(local, out var ip) && IPAddress.IsLoopback(ip)))
        {
            failures.Add($"{S}:{nameof(options.AdvertisedAddress)} must be a loopback address with {S}:{nameof(options.Provider)}=Localhost (was '{local}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireIdentifier(List<string> failures, string setting, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 150)
        {
            failures.Add($"{setting} must be 1 to 150 characters (the membership and reminder tables' key columns).");
        }
    }

    private static void RequirePort(List<string> failures, string setting, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{setting} must be between 1 and 65535 (was {port}).");
        }
    }
}
