namespace Revocation.IntegrationTests.Metrics;

/// <summary>Runs after, never beside, the other collections: no other test's hosts count into these scrapes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection : ICollectionFixture<MetricsNode>
{
    public const string Name = "metrics (alone)";
}
