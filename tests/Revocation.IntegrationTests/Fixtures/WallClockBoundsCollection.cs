namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// Tests that bound how long a failure takes on the wall clock (a hung database fails a call before
/// the check timeout, a stopped registry is answered within it) run after, never beside, the other
/// collections, which run four at a time (xunit.runner.json): their bounds are promises about the
/// registry, not about how busy the machine's two cores were.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockBoundsCollection
{
    public const string Name = "wall-clock bounds (alone)";
}
