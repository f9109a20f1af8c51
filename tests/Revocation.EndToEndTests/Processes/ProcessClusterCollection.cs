namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// Tests that start whole process clusters and time failures run alone, after the parallel
/// tests, so that two clusters never compete for this machine's cores during a measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "Process clusters";
}
