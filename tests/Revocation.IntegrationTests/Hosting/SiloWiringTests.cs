using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Hosting;

/// <summary>What the silo host configures for token grains, read back from a running silo.</summary>
[Collection(TwoSiloCollection.Name)]
public sealed class SiloWiringTests(TwoSiloCluster registry)
{
    [Fact]
    public void TokenAndSubjectGrains_HaveTheirOwnCollectionAges_AndSheddingIsOn()
    {
        var collection = registry.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal(new TokenGrainOptions().CollectionAge, collection.ClassSpecificCollectionAge[typeof(TokenGrain).FullName!]);
        Assert.Equal(new SubjectRevocationOptions().CollectionAge, collection.ClassSpecificCollectionAge[typeof(SubjectGrain).FullName!]);
        Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(80, collection.MemoryUsageLimitPercentage);
        Assert.Equal(70, collection.MemoryUsageTargetPercentage);
        Assert.Equal(TimeSpan.FromSeconds(1), collection.MemoryUsagePollingPeriod);
    }

    [Fact]
    public void DirectoryCache_IsSizedLikeTheTokenGrainCap()
    {
        // Orleans' default (1 000 000 entries) outlives the grains it describes and filled a capped silo's heap.
        var directory = registry.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(new TokenGrainOptions().MaxActivationsPerSilo, directory.CacheSize);
    }

    [Fact]
    public void SubjectRevocationSettings_AreValidatedByTheSilo()
    {
        var services = registry.Cluster.Silos[0].ServiceProvider;

        Assert.Contains(services.GetServices<IValidateOptions<SubjectRevocationOptions>>(), v => v is SubjectRevocationOptionsValidator);
        var options = services.GetRequiredService<IOptions<SubjectRevocationOptions>>().Value;
        Assert.Equal(new SubjectRevocationOptions().MaxIssuerClockOffset, options.MaxIssuerClockOffset);
        Assert.Equal(new SubjectRevocationOptions().NotBeforeMaxAge, options.NotBeforeMaxAge);
    }
}

/// <summary>The capped silo: its directory cache follows the configured cap.</summary>
[Collection(CappedCollection.Name)]
public sealed class CappedSiloWiringTests(CappedCluster registry)
{
    [Fact]
    public void DirectoryCache_FollowsTheConfiguredCap()
    {
        var directory = registry.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(CappedCluster.Limit, directory.CacheSize);
    }
}
