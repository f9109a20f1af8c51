using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

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

        var settings = section.Get<RegistryClientOptions>() ?? new RegistryClientOptions();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            client.UseStaticClustering(settings.GatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray());
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
