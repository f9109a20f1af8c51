using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Revocation.Silo.Clustering;
using Revocation.Silo.Leases;
using Revocation.Silo.Rejuvenation;
using Revocation.Silo.Storage;
using Revocation.Silo.Sweeping;

namespace Revocation.Silo.Hosting;

public static class RegistrySiloBuilderExtensions
{
    /// <summary>
    /// Everything a silo needs to host the registry, feature by feature, each with its settings
    /// validated at start. Clustering is configured separately
    /// (<see cref="RegistryClusteringExtensions.UseRegistryClustering"/>).
    /// </summary>
    public static ISiloBuilder AddRevocationRegistry(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.AddRegistryDatabase(configuration)
            .AddRevocationGrains(configuration)
            .AddNodeLeases(configuration)
            .AddSweeper(configuration)
            .AddRejuvenation(configuration);
}
