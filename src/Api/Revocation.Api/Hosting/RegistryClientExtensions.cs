using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Revocation.AspNetCore;

namespace Revocation.Api.Hosting;

public static partial class RegistryClientExtensions
{
    /// <summary>
    /// One Orleans client for the process, connected to the silos' gateways: found in the
    /// membership table (<see cref="RegistryClustering.AdoNet"/>) or listed on 127.0.0.1
    /// (<see cref="RegistryClustering.Localhost"/>). While no gateway answers at startup it keeps
    /// retrying (logged) rather than failing the process, and HTTP is served meanwhile.
    /// </summary>
    public static WebApplicationBuilder AddRegistryClient(this WebApplicationBuilder builder)
    {
        const string S = RegistryClientOptions.SectionName;
        var section = builder.Configuration.GetSection(S);
        builder.Services.AddOptions<RegistryClientOptions>().Bind(section)
            .Configure(o => o.ConnectionString ??= builder.Configuration.GetConnectionString("Registry"))
            .Validate(o => Enum.IsDefined(o.Clustering), $"{S}:{nameof(RegistryClientOptions.Clustering)} must be AdoNet or Localhost.")
            .Validate(o => o.Clustering != RegistryClustering.AdoNet || !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"ConnectionStrings:Registry is required with {S}:{nameof(RegistryClientOptions.Clustering)}=AdoNet (gateways are read from the membership table).")
            .Validate(o => o.Clustering != RegistryClustering.Localhost || (o.GatewayPorts.Length > 0 && o.GatewayPorts.All(p => p is > 0 and < 65536)),
                $"{S}:{nameof(RegistryClientOptions.GatewayPorts)} must list at least one port between 1 and 65535.")
            .Validate(o => o.GatewayListRefreshPeriod > TimeSpan.Zero,
                $"{S}:{nameof(RegistryClientOptions.GatewayListRefreshPeriod)} must be positive.")
            .Validate(o => o.CallTimeout > TimeSpan.Zero,
                $"{S}:{nameof(RegistryClientOptions.CallTimeout)} must be positive.")
            .Validate(o => o.SweepTimeout > TimeSpan.Zero && o.SweepTimeout <= RegistryClientOptions.MaxSweepTimeout,
                $"{S}:{nameof(RegistryClientOptions.SweepTimeout)} must be positive and at most {RegistryClientOptions.MaxSweepTimeout} (the sweeper's run call gives up there).")
            .ValidateOnStart();

        // The client keeps retrying until a gateway answers; started one after the other, the web
        // server would wait for it and the node would not even answer liveness probes. Started
        // together, HTTP is served at once: live, not ready, checks failing per the failure policy.
        builder.Services.Configure<HostOptions>(host => host.ServicesStartConcurrently = true);
        builder.Services.AddHostedService<DatabaseTransportWarning>();
        builder.UseOrleansClient(client =>
        {
            // Everything is read through options, not eagerly: configuration may still change
            // before the host is built (tests), so even the gateway list provider is picked late.
            var services = client.Services;
            services.AddOptions<ClusterOptions>().Configure<IOptions<RegistryClientOptions>>((cluster, registry) =>
            {
                cluster.ClusterId = registry.Value.ClusterId;
                cluster.ServiceId = registry.Value.ServiceId;
            });
            services.AddOptions<GatewayOptions>().Configure<IOptions<RegistryClientOptions>>((gateways, registry) =>
                gateways.GatewayListRefreshPeriod = registry.Value.GatewayListRefreshPeriod);
            services.AddOptions<StaticGatewayListProviderOptions>().Configure<IOptions<RegistryClientOptions>>((list, registry) =>
                list.Gateways = [.. registry.Value.GatewayPorts.Select(port => new IPEndPoint(IPAddress.Loopback, port).ToGatewayUri())]);
            services.AddOptions<AdoNetClusteringClientOptions>().Configure<IOptions<RegistryClientOptions>>((adoNet, registry) =>
            {
                adoNet.Invariant = "Npgsql";
                adoNet.ConnectionString = registry.Value.ConnectionString;
            });
            services.AddSingleton<IGatewayListProvider>(sp =>
                sp.GetRequiredService<IOptions<RegistryClientOptions>>().Value.Clustering == RegistryClustering.Localhost
                    ? ActivatorUtilities.CreateInstance<StaticGatewayListProvider>(sp)
                    : ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(sp));
            client.UseConnectionRetryFilter<RetryUntilConnected>();
            client.UseRegistryTls();
            if (ServiceDefaults.ExportsTelemetry(builder.Configuration))
            {
                // Each grain call becomes a span of the request's trace.
                client.AddActivityPropagation();
            }
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
