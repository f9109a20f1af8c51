/// <summary>The simulated nodes of a command: how many, the lease partitions, the renewal period, how long they may take to all hold a lease.</summary>
internal sealed record FleetSettings(int Nodes, int Partitions, TimeSpan RenewPeriod, TimeSpan LeaseTimeout)
{
    /// <summary>From --nodes, --partitions (1), --renew (1 s) and --lease-timeout (60 s).</summary>
    public static FleetSettings From(CommandLine options, int defaultNodes) => new(
        options.Int("nodes", defaultNodes), options.Int("partitions", 1), options.Seconds("renew", 1), options.Seconds("lease-timeout", 60));
}
