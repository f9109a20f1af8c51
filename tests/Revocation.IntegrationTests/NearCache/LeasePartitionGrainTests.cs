using System.Diagnostics;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// The lease service in four partitions on two silos: a revocation reaches the nodes of every
/// partition before it returns, waits for a silent node of any partition, and a node that counts
/// partitions otherwise than the silos gets no lease.
/// </summary>
public sealed class LeasePartitionGrainTests : IAsyncLifetime
{
    private const int Partitions = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);

    private TestSilos _silos = null!;

    public async Task InitializeAsync() => _silos = await TestSilos.StartAsync(2, "lease_partitions", settings: new Dictionary<string, string?>
    {
        ["NodeLeases:Partitions"] = Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NodeLeases:LeaseDuration"] = "00:00:01",
    });

    public async Task DisposeAsync()
    {
        // A call a test left unanswered (the silent node's) would hold the silos' shutdown until their stop timeout.
        foreach (var node in _leased)
        {
            node.Listener.Resume();
        }

        await _silos.DisposeAsync();
    }

    [Fact]
    public async Task ARevocation_ReachesTheNodesOfEveryPartition_BeforeItReturns()
    {
        var nodes = Enumerable.Range(0, Partitions).Select(p => new PartitionNode(NodeIn(p), new RecordingListener())).ToList();
        foreach (var node in nodes)
        {
            await RenewAsync(node);
        }

        await Task.Delay(Lease); // past every partition's first lease, when revocations wait out leases granted before
        foreach (var node in nodes)
        {
            await RenewAsync(node);
        }

        var jti = RegistryCluster.NewJti("partitions");

        await _silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "test").WaitAsync(Hang);

        Assert.All(nodes, node => Assert.Contains(node.Listener.Received, n => n.Key == jti));
    }

    [Fact]
    public async Task ASilentNodeInOnePartition_HoldsTheRevocationUntilItsLeaseRanOut()
    {
        var answering = Enumerable.Range(0, Partitions - 1).Select(p => new PartitionNode(NodeIn(p), new RecordingListener())).ToList();
        var silent = new PartitionNode(NodeIn(Partitions - 1), new RecordingListener(answers: false));
        foreach (var node in answering.Append(silent))
        {
            await RenewAsync(node);
        }

        await Task.Delay(Lease);
        var lastRenewal = Stopwatch.StartNew();
        foreach (var node in answering.Append(silent))
        {
            await RenewAsync(node);
        }

        var jti = RegistryCluster.NewJti("partitions-silent");
        await _silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "test").WaitAsync(Hang);
        var took = lastRenewal.Elapsed;

        Assert.All(answering, node => Assert.Contains(node.Listener.Received, n => n.Key == jti));
        Assert.Contains(silent.Listener.Received, n => n.Key == jti);
        Assert.True(took >= Lease - TimeSpan.FromMilliseconds(50), $"the revocation returned {took} after the silent node's renewal, before its {Lease} lease ran out");
    }

    [Fact]
    public async Task ANodeCountingOtherPartitions_GetsNoLease_AndTheErrorNamesBothSettings()
    {
        var node = Guid.NewGuid();
        var key = LeasePartitions.Key(LeasePartitions.Of(node, 2), 2);
        var listener = _silos.Grains.CreateObjectReference<IRevocationListener>(new RecordingListener());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _silos.Grains.GetGrain<INodeLeaseGrain>(key).RenewAsync(node, listener, Guid.Empty, 1));

        Assert.Contains("NodeLeases:Partitions", error.Message);
        Assert.Contains("RevocationCheck:NearCache:LeasePartitions", error.Message);
        Assert.Contains($"silos run {Partitions}", error.Message);
    }

    [Theory]
    [InlineData("nodes/9/4")]
    [InlineData("nodes/1/4/extra")]
    [InlineData("not-a-partition")]
    public async Task AKeyOfNoPartition_IsRefused_ForRenewalsAndRevocations(string key)
    {
        var node = Guid.NewGuid();
        var listener = _silos.Grains.CreateObjectReference<IRevocationListener>(new RecordingListener());
        var grain = _silos.Grains.GetGrain<INodeLeaseGrain>(key);

        var renewal = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.RenewAsync(node, listener, Guid.Empty, 1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _silos.Grains.GetGrain<Revocation.Grains.Leases.INodeLeaseNotifications>(key).NotifyAsync(RevocationNotice.Token(TestTokens.Issuer, "forged", DateTimeOffset.UtcNow.AddHours(1))));

        Assert.Contains($"'{key}' is not the key of a lease partition", renewal.Message);
    }

    [Fact]
    public async Task ANodeRenewingWithAnotherNodesPartition_IsRefused()
    {
        var node = NodeIn(1);
        var listener = _silos.Grains.CreateObjectReference<IRevocationListener>(new RecordingListener());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            _silos.Grains.GetGrain<INodeLeaseGrain>(LeasePartitions.Key(0, Partitions)).RenewAsync(node, listener, Guid.Empty, 1));
    }

    private static Guid NodeIn(int partition)
    {
        while (true)
        {
            var node = Guid.NewGuid();
            if (LeasePartitions.Of(node, Partitions) == partition)
            {
                return node;
            }
        }
    }

    private readonly HashSet<PartitionNode> _leased = [];

    private async Task RenewAsync(PartitionNode node)
    {
        _leased.Add(node);
        node.Reference ??= _silos.Grains.CreateObjectReference<IRevocationListener>(node.Listener);
        var grant = await _silos.Grains.GetGrain<INodeLeaseGrain>(LeasePartitions.Key(LeasePartitions.Of(node.Id, Partitions), Partitions))
            .RenewAsync(node.Id, node.Reference, node.LeaseId, ++node.Renewals);
        node.LeaseId = grant.LeaseId;
    }

    private sealed class PartitionNode(Guid id, RecordingListener listener)
    {
        public Guid Id { get; } = id;

        public RecordingListener Listener { get; } = listener;

        public IRevocationListener? Reference { get; set; }

        public Guid LeaseId { get; set; }

        public long Renewals { get; set; }
    }
}
