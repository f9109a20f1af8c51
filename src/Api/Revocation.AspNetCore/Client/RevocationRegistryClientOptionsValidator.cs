using System.Net;
using Microsoft.Extensions.Options;
using Revocation.ClusterIdentity;

namespace Revocation.AspNetCore;

/// <summary>Refuses a <c>Registry</c> section the client could not connect with, naming the setting at fault.</summary>
internal sealed class RevocationRegistryClientOptionsValidator : IValidateOptions<RevocationRegistryClientOptions>
{
    private const string S = RevocationRegistryClientOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RevocationRegistryClientOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Clustering))
        {
            failures.Add($"{S}:{nameof(options.Clustering)} must be AdoNet, Static or Localhost.");
        }
        else if (options.Clustering == RegistryClustering.AdoNet && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"ConnectionStrings:Registry is required with {S}:{nameof(options.Clustering)}=AdoNet (gateways are read from the membership table).");
        }
        else if (options.Clustering == RegistryClustering.Static)
        {
            if (options.Gateways.Length == 0)
            {
                failures.Add($"{S}:{nameof(options.Gateways)} must list at least one gateway (address:port) with {S}:{nameof(options.Clustering)}=Static.");
            }

            failures.AddRange(options.Gateways
                .Where(gateway => !TryParseGateway(gateway, out _))
                .Select(gateway => $"{S}:{nameof(options.Gateways)} holds '{gateway}', which is not an address:port such as 10.0.0.5:30000."));
        }
        else if (options.Clustering == RegistryClustering.Localhost && (options.GatewayPorts.Length == 0 || options.GatewayPorts.Any(p => p is <= 0 or > 65535)))
        {
            failures.Add($"{S}:{nameof(options.GatewayPorts)} must list at least one port between 1 and 65535 with {S}:{nameof(options.Clustering)}=Localhost.");
        }

        if (options.GatewayListRefreshPeriod <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.GatewayListRefreshPeriod)} must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId) || string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{ClusterIdentitySettings.ClusterIdKey} and {ClusterIdentitySettings.ServiceIdKey} must not be empty (they must match the silos').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An <c>address:port</c> with a port the client can connect to.</summary>
    internal static bool TryParseGateway(string gateway, out IPEndPoint endpoint) =>
        IPEndPoint.TryParse(gateway, out endpoint!) && endpoint.Port > 0;
}
