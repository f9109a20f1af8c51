using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>The first silo of a cluster records its lease partition count; a silo counting otherwise cannot start in it.</summary>
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
        Assert.Contains("Orleans:ClusterId", error.Message);
    }

    [Fact]
    public async Task SilosStartingTogether_AllAgree_NoneSeesAnEmptyTable()
    {
        // Silos of a new cluster start at once: each one's INSERT waits for another's uncommitted row,
        // then must still answer with that row's count (CI once failed 26 tests on exactly this race).
        await using var dataSource = await Databases.MigratedAsync("lease_partition_agreement_race");
        var options = Databases.Options(dataSource.ConnectionString);
        var agreement = new LeasePartitionAgreement(Databases.Connector(dataSource, options));

        for (var round = 0; round < 30; round++)
        {
            var clusterId = $"cluster-{round}";
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => agreement.AgreeAsync(clusterId, 3, CancellationToken.None))));
        }
    }
}
