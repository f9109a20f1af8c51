namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// Tests that drive a process cluster to the limit of this machine's cores (a steady check load, a
/// storm, silos killed, restarted or added under load) run alone, after the parallel tests, so that
/// two clusters never compete for the cores while one is measured. Tests that mostly wait (on
/// leases, timers, reminders, a paused process) take no collection: xunit runs them as many at a time as
/// there are cores (its conservative algorithm), next to each other, before these.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "Process clusters";
}
