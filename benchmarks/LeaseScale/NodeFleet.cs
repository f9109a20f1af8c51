using System.Diagnostics;
using Revocation.Abstractions;

/// <summary>N simulated API nodes renewing in one process, each with its own listener reference.</summary>
internal sealed class NodeFleet : IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly (SimulatedNode Node, IRevocationListener Reference)[] _nodes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    private NodeFleet(IGrainFactory grains, (SimulatedNode, IRevocationListener)[] nodes)
    {
        _grains = grains;
        _nodes = nodes;
        Nodes = [.. nodes.Select(n => n.Item1)];
        _loops = [.. nodes.Select(n => Task.Run(() => n.Item1.RunAsync(n.Item2, _stop.Token)))];
    }

    public IReadOnlyList<SimulatedNode> Nodes { get; }

    /// <summary>
    /// Starts the nodes and returns once every one holds a lease; each tracks which of the first
    /// <paramref name="measured"/> measured revocations it was told of.
    /// </summary>
    /// <exception cref="TimeoutException">Not every node held a lease within <see cref="FleetSettings.LeaseTimeout"/>.</exception>
    public static async Task<NodeFleet> StartLeasedAsync(IGrainFactory grains, FleetSettings settings, TokenIds jtis, int measured)
    {
        var nodes = Enumerable.Range(0, settings.Nodes).Select(_ =>
        {
            var node = new SimulatedNode(Guid.NewGuid(), grains, settings.Partitions, settings.RenewPeriod, jtis, new NoticeSet(measured));
            return (node, grains.CreateObjectReference<IRevocationListener>(node));
        });
        var fleet = new NodeFleet(grains, [.. nodes]);
        if (!await fleet.WaitUntilAllLeasedAsync(settings.LeaseTimeout))
        {
            await fleet.DisposeAsync();
            throw new TimeoutException($"not every one of {settings.Nodes} nodes held a lease within {settings.LeaseTimeout}");
        }

        return fleet;
    }

    /// <summary>Waits until every node holds a lease at the same moment; false if that did not happen within <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitUntilAllLeasedAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (_nodes.All(n => n.Node.HoldsLease(now)))
            {
                return true;
            }

            if (now > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops renewing and gives every lease up, so that a later run's revocations do not wait for these nodes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        await Parallel.ForEachAsync(_nodes, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (n, _) =>
        {
            try
            {
                await n.Node.ReleaseAsync();
            }
            catch (Exception ex)
            {
                // The lease then runs out by itself on the grain's side (one lease duration).
                await Console.Error.WriteLineAsync($"release failed: {ex.GetType().Name}: {ex.Message}");
            }

            _grains.DeleteObjectReference<IRevocationListener>(n.Reference);
        });
        _stop.Dispose();
    }
}
