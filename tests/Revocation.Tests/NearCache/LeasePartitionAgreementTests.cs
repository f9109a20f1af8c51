using Revocation.Silo.Storage;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.NearCache;

/// <summary>The first silo of a cluster records its lease partition count; a silo counting otherwise cannot start in it.</summary>
[Trait("Category", "Integration")]
public sealed class LeasePartitionAgreementTests
{
    [Fact]
    public async Task TheFirstSilosCount_IsTheClusters_AndAnotherCountIsRefusedNamingBoth()
    {
        await using var dataSource = await Databases.MigratedAsync("lease_partition_agreement");
        var options = Databases.Options(dataSource.ConnectionString);
        var agreement = new LeasePartitionAgreement(Databases.Connector(dataSource, options));

        await agreement.AgreeAsync("cluster-a", 4, CancellationToken.None);
        await agreement.AgreeAsync("cluster-a", 4, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => agreement.AgreeAsync("cluster-a", 2, CancellationToken.None));
        await agreement.AgreeAsync("cluster-b", 2, CancellationToken.None);

        Assert.Contains("NodeLeases:Partitions is 2 on this silo", error.Message);
        Assert.Contains("cluster 'cluster-a' runs 4", error.Message);
        Assert.Contains("Cluster:ClusterId", error.Message);
    }
}
