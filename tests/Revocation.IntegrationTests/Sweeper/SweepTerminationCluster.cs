using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Sweeper;

/// <summary>One silo whose sweeper deletes 100 rows a batch through <see cref="BetweenBatchesStore"/>; nothing else sweeps.</summary>
public sealed class SweepTerminationCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["Sweeper:DueTime"] = "01:00:00",
    ["Sweeper:BatchSize"] = "100",
    ["Sweeper:Grace"] = "00:00:00",
})
{
    /// <summary>The silo's store (resolved here, so that a test may set it up before the sweeper first used it).</summary>
    public BetweenBatchesStore Store =>
        (BetweenBatchesStore)Cluster.Silos[0].ServiceProvider.GetRequiredService<IExpiredRowStore>();

    protected override void ConfigureSiloServices(IServiceCollection services) =>
        services.AddSingleton<IExpiredRowStore>(sp => new BetweenBatchesStore(ActivatorUtilities.CreateInstance<PostgresExpiredRowStore>(sp)));
}
