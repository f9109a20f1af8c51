namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// Run alone, after the parallel tests: tests that drive a process cluster to the limit of this
/// machine's cores (a steady check load, a storm, silos killed, restarted or added under load), so
/// that two clusters never compete for the cores while one is measured, and tests that bound a
/// duration on the wall clock (a revocation with a paused node returns within a lease), whose bound
/// is a promise about the registry, not about how busy the cores were. Tests that mostly wait (on
/// leases, timers, reminders, a paused process) and bound nothing tighter than a generous deadline
/// take no collection: xunit runs them as many at a time as there are cores (its conservative
/// algorithm), next to each other, before these.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "Process clusters";
}
