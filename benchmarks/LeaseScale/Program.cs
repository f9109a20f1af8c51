using Microsoft.Extensions.DependencyInjection;

// Usage (environment: ConnectionStrings__Registry, Orleans__ClusterId; see RegistryClient):
//   LeaseScale revocations [--nodes 100] [--partitions 1] [--rate 200] [--seconds 15] [--renew 1]
//                          [--warmup 3] [--quiet 5] [--await-samples false]
//       N simulated API nodes; once all hold a lease: warm-up, a quiet phase, then revocations of
//       fresh tokens at --rate per second for --seconds (open loop), each timed.
//   LeaseScale recover --kill-marker FILE [--nodes 1000] [--partitions 1] [--renew 1] [--watch 60]
//       N nodes; once all hold a lease, waits for FILE (the kill's Unix time in ms), then reports how
//       long until every node held a lease again.
// Prints MARK lines at phase boundaries (scripts/bench.sh samples on them; with --await-samples true
// it waits after each for a line on stdin, the sample taken) and one RESULT line of key=value pairs;
// fails when the nodes do not all hold a lease within --lease-timeout (60 s).
if (args is not [("revocations" or "recover") and var command, .. var rest])
{
    Console.Error.WriteLine("usage: LeaseScale revocations|recover [--name value]... (see Program.cs)");
    return 2;
}

var options = CommandLine.Parse(rest);
using var host = RegistryClient.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var status = command == "revocations"
    ? await RevocationsCommand.RunAsync(grains, options)
    : await RecoveryCommand.RunAsync(grains, options);
await host.StopAsync();
return status;
