using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.Silo.Storage;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Sweeper;

/// <summary>One silo whose sweeper deletes 100 rows a batch through <see cref="BetweenBatchesStore"/>; nothing else sweeps.</summary>
public sealed class SweepTerminationCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["Sweeper:DueTime"] = "01:00:00",
    ["Sweeper:BatchSize"] = "100",
    ["Sweeper:Grace"] = "00:00:00",
})
{
    public BetweenBatchesStore Store { get; private set; } = null!;

    protected override void ConfigureSiloServices(IServiceCollection services) =>
        services.AddSingleton<IExpiredRowStore>(sp => Store = new BetweenBatchesStore(ActivatorUtilities.CreateInstance<PostgresExpiredRowStore>(sp)));
}
