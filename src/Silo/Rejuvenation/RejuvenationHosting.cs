using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Revocation.Hosting;
using Revocation.Silo.Clustering;

namespace Revocation.Silo.Rejuvenation;

public static class RejuvenationHosting
{
    /// <summary>Software rejuvenation: off unless <c>Rejuvenation:MaxLifetime</c> or <c>:MemoryLimit</c> is set.</summary>
    public static ISiloBuilder AddRejuvenation(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        var clusterProvider = configuration.GetSection(RegistryClusterOptions.SectionName).Get<RegistryClusterOptions>()?.Provider ?? ClusterProvider.AdoNet;
        services.AddValidatedOptions(configuration.GetSection(RejuvenationOptions.SectionName), new RejuvenationOptionsValidator(clusterProvider));
        services.TryAddSingleton<PostgresRecycleTurns>();
        services.TryAddSingleton<RejuvenationMetrics>();
        services.TryAddSingleton<SiloRecycler>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloRecycler>());
        return silo;
    }
}
