using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;
using Revocation.ClusterIdentity;

namespace Revocation.AspNetCore;

public static class RevocationRegistryClientExtensions
{
    /// <summary>
    /// The Orleans client of this process, connected to the registry's gateways as the
    /// <c>Registry</c> section says (<see cref="RevocationRegistryClientOptions"/>): found in the
    /// registry's membership table (the default; silos added later are found by themselves), a
    /// fixed list, or ports on 127.0.0.1; with mutual TLS from the <c>ClusterTls</c> section
    /// (<see cref="RegistryClientTlsExtensions.UseRegistryTls"/>). While no gateway answers at
    /// start-up it keeps retrying (a warning each second) instead of failing the process, and the
    /// host's other services — the web server — start meanwhile: requests are served at once,
    /// checks that need the registry follow the failure policy until it is reached. Settings are
    /// validated at start; a message names the one at fault. <paramref name="configure"/> adds to
    /// the client (e.g. <c>AddActivityPropagation</c>).
    /// </summary>
    public static IHostApplicationBuilder AddRevocationRegistryClient(this IHostApplicationBuilder builder, Action<IClientBuilder>? configure = null) =>
        builder.AddRevocationRegistryClient<RevocationRegistryClientOptions>(configure);

    /// <summary>
    /// <see cref="AddRevocationRegistryClient(IHostApplicationBuilder, Action{IClientBuilder}?)"/> with
    /// <typeparamref name="TOptions"/> bound from the same section: a host that keeps settings of its
    /// own there derives its options from <see cref="RevocationRegistryClientOptions"/>.
    /// </summary>
    public static IHostApplicationBuilder AddRevocationRegistryClient<TOptions>(this IHostApplicationBuilder builder, Action<IClientBuilder>? configure = null)
        where TOptions : RevocationRegistryClientOptions, new()
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<TOptions>().Bind(configuration.GetSection(RevocationRegistryClientOptions.SectionName))
            .Configure(o =>
            {
                o.ConnectionString ??= configuration.GetConnectionString(RevocationCheckExtensions.RegistryConnectionStringName);
                // Orleans:ClusterId and Orleans:ServiceId, as on the silos; Registry:* are their earlier names.
                o.ClusterId = ClusterIdentitySettings.ClusterId(configuration, o.ClusterId);
                o.ServiceId = ClusterIdentitySettings.ServiceId(configuration, o.ServiceId);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, Validator<TOptions>>());
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<EarlierClusterIdentityNames>(sp, RevocationRegistryClientOptions.SectionName));
        if (typeof(TOptions) != typeof(RevocationRegistryClientOptions))
        {
            // The client reads the base options: the host's own, bound and validated once.
            builder.Services.TryAddSingleton<IOptions<RevocationRegistryClientOptions>>(sp => sp.GetRequiredService<IOptions<TOptions>>());
        }

        // The client keeps retrying until a gateway answers; started one after the other, the web
        // server would wait for it and the process would not even answer liveness probes.
        builder.Services.Configure<HostOptions>(host => host.ServicesStartConcurrently = true);
        builder.UseOrleansClient(client =>
        {
            // Read through options, not eagerly: configuration may still change before the host
            // is built (tests), so even the gateway list provider is picked late.
            var services = client.Services;
            services.AddOptions<ClusterOptions>().Configure<IOptions<RevocationRegistryClientOptions>>((cluster, registry) =>
            {
                cluster.ClusterId = registry.Value.ClusterId;
                cluster.ServiceId = registry.Value.ServiceId;
            });
            services.AddOptions<GatewayOptions>().Configure<IOptions<RevocationRegistryClientOptions>>((gateways, registry) =>
                gateways.GatewayListRefreshPeriod = registry.Value.GatewayListRefreshPeriod);
            services.AddOptions<StaticGatewayListProviderOptions>().Configure<IOptions<RevocationRegistryClientOptions>>((list, registry) =>
                list.Gateways = [.. StaticGateways(registry.Value).Select(endpoint => endpoint.ToGatewayUri())]);
            services.AddSingleton<IGatewayListProvider>(sp =>
                sp.GetRequiredService<IOptions<RevocationRegistryClientOptions>>().Value.Clustering == RegistryClustering.AdoNet
                    ? ActivatorUtilities.CreateInstance<MembershipTableGateways>(sp)
                    : ActivatorUtilities.CreateInstance<StaticGatewayListProvider>(sp));
            client.UseConnectionRetryFilter<RetryUntilConnected>();
            client.UseRegistryTls();
            configure?.Invoke(client);
        });
        return builder;
    }

    private static IEnumerable<IPEndPoint> StaticGateways(RevocationRegistryClientOptions registry) => registry.Clustering switch
    {
        RegistryClustering.Localhost => registry.GatewayPorts.Select(port => new IPEndPoint(IPAddress.Loopback, port)),
        RegistryClustering.Static => registry.Gateways.Select(gateway =>
            RevocationRegistryClientOptionsValidator.TryParseGateway(gateway, out var endpoint) ? endpoint : throw new OptionsValidationException(
                RevocationRegistryClientOptions.SectionName, typeof(RevocationRegistryClientOptions), [$"Registry:Gateways holds '{gateway}', which is not an address:port."])),
        _ => [],
    };

    /// <summary>The section's rules, and the cluster identity not set differently under its two names.</summary>
    private sealed class Validator<TOptions>(IConfiguration configuration) : IValidateOptions<TOptions>
        where TOptions : RevocationRegistryClientOptions
    {
        private readonly RevocationRegistryClientOptionsValidator _inner = new();

        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var result = _inner.Validate(name, options);
            var failures = (result.Failed ? result.Failures : [])
                .Concat(ClusterIdentitySettings.Conflicts(configuration, RevocationRegistryClientOptions.SectionName))
                .ToList();
            return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
        }
    }

    private sealed class RetryUntilConnected(ILogger<RetryUntilConnected> logger) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            RevocationCheckLog.ClientRetry(logger, exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }
}
