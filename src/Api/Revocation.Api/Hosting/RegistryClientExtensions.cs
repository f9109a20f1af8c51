using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Revocation.Api.Hosting;

public static partial class RegistryClientExtensions
{
    /// <summary>
    /// One Orleans client for the process, connected to the silos' gateways. While no gateway
    /// answers at startup it keeps retrying (logged) rather than failing the process.
    /// </summary>
    public static WebApplicationBuilder AddRegistryClient(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(RegistryClientOptions.SectionName);
        builder.Services.AddOptions<RegistryClientOptions>().Bind(section)
            .Validate(o => o.GatewayPorts.Length > 0 && o.GatewayPorts.All(p => p is > 0 and < 65536),
                $"{RegistryClientOptions.SectionName}:{nameof(RegistryClientOptions.GatewayPorts)} must list at least one port between 1 and 65535.")
            .Validate(o => o.CallTimeout > TimeSpan.Zero,
                $"{RegistryClientOptions.SectionName}:{nameof(RegistryClientOptions.CallTimeout)} must be positive.")
            .ValidateOnStart();

        builder.UseOrleansClient(client =>
        {
            // Read through options, not eagerly: configuration may still change before the host is built.
            client.UseStaticClustering((OptionsBuilder<StaticGatewayListProviderOptions> gateways) =>
                gateways.Configure<IOptions<RegistryClientOptions>>((list, registry) =>
                    list.Gateways = [.. registry.Value.GatewayPorts.Select(port => new IPEndPoint(IPAddress.Loopback, port).ToGatewayUri())]));
            client.Services.AddOptions<ClusterOptions>().Configure<IOptions<RegistryClientOptions>>((cluster, registry) =>
            {
                cluster.ClusterId = registry.Value.ClusterId;
                cluster.ServiceId = registry.Value.ServiceId;
            });
            client.UseConnectionRetryFilter<RetryUntilConnected>();
        });
        return builder;
    }

    private sealed partial class RetryUntilConnected(ILogger<RetryUntilConnected> logger) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            LogRetry(logger, exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }

        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Registry cluster not reachable yet; retrying: {Error}")]
        private static partial void LogRetry(ILogger logger, string error);
    }
}
