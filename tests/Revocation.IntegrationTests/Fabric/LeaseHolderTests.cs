using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;
using Revocation.Grains.Leases;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.IntegrationTests.NearCache;

namespace Revocation.IntegrationTests.Fabric;

/// <summary>
/// Hostile clients with a certificate of the cluster CA against the lease service: another client
/// cannot renew or release a node's lease nor slip its own listener in, and no client can call the
/// silos' own grain interfaces; the node that holds the lease keeps getting its revocations.
/// </summary>
public sealed class LeaseHolderTests(LeaseHolderTests.Cluster cluster) : IClassFixture<LeaseHolderTests.Cluster>
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);

    /// <summary>
    /// One silo and two clients for the class, past the lease grain's start (one lease of real
    /// time): each test leases nodes of its own and leaves none that would hold a later revocation.
    /// </summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public TestSilos Silos { get; private set; } = null!;

        public IHost Node { get; private set; } = null!;

        public IHost Hostile { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Silos = await TestSilos.StartAsync(1, "lease-holder");
            Node = await TestClients.ConnectAsync(Silos);
            Hostile = await TestClients.ConnectAsync(Silos);
            await Silos.PassLeaseStartAsync();
        }

        public async Task DisposeAsync()
        {
            await Hostile.StopAsync();
            await Node.StopAsync();
            Hostile.Dispose();
            Node.Dispose();
            await Silos.DisposeAsync();
        }
    }

    private TestSilos Silos => cluster.Silos;

    private IClusterClient Node => cluster.Node.Services.GetRequiredService<IClusterClient>();

    private IClusterClient Hostile => cluster.Hostile.Services.GetRequiredService<IClusterClient>();

    [Fact]
    public async Task AnotherClient_CannotRenewANodesLease_AndTheNodeKeepsGettingItsRevocations()
    {
        var (nodeId, lease, listener) = await LeaseAsync();
        var stolen = new RecordingListener();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Hostile.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).RenewAsync(nodeId, Hostile.CreateObjectReference<IRevocationListener>(stolen), lease.LeaseId, 100));
        var notice = RevocationNotice.Token(TestTokens.Issuer, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddHours(1));
        await Silos.Grains.GetGrain<INodeLeaseNotifications>(INodeLeaseGrain.Key).NotifyAsync(notice).WaitAsync(Hang);

        Assert.Contains("holds its lease through another client", error.Message);
        Assert.Contains(notice, listener.Received);
        Assert.DoesNotContain(notice, stolen.Received);
    }

    [Fact]
    public async Task AClient_CannotRenewWithAListenerOfAnotherClient()
    {
        var someoneElses = Node.CreateObjectReference<IRevocationListener>(new RecordingListener());

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Hostile.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).RenewAsync(Guid.NewGuid(), someoneElses, Guid.Empty, 1));

        Assert.Contains("not an object of the calling client", error.Message);
    }

    [Fact]
    public async Task AnotherClient_CannotReleaseANodesLease_SoRevocationsStillWaitForTheNode()
    {
        var gated = new GatedListener();
        var nodeId = Guid.NewGuid();
        var lease = await Node.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).RenewAsync(nodeId, Node.CreateObjectReference<IRevocationListener>(gated), Guid.Empty, 1);

        await Hostile.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).ReleaseAsync(nodeId, lease.LeaseId);
        var revocation = Silos.Grains.GetGrain<INodeLeaseNotifications>(INodeLeaseGrain.Key)
            .NotifyAsync(RevocationNotice.Token(TestTokens.Issuer, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddHours(1)));
        await Eventually.HoldsAsync(Hang, () => Task.FromResult(gated.Messages > 0), () => "the node was never told");

        Assert.False(revocation.IsCompleted, "the revocation stopped waiting for a node whose release came from another client");
        gated.AcknowledgeAll();
        await revocation.WaitAsync(Hang);
        await Node.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).ReleaseAsync(nodeId, lease.LeaseId); // its next notices would wait for it
    }

    [Fact]
    public async Task AClient_CannotCallTheSilosOwnInterfaces()
    {
        var notify = await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            Hostile.GetGrain<INodeLeaseNotifications>(INodeLeaseGrain.Key).NotifyAsync(RevocationNotice.Token(TestTokens.Issuer, "forged", DateTimeOffset.UtcNow.AddHours(1))));
        var schedule = await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            Hostile.GetGrain<ISweeperSchedule>(ISweeperGrain.Key).EnsureScheduledAsync());

        Assert.Contains("INodeLeaseNotifications.NotifyAsync is internal to the registry's silos", notify.Message);
        Assert.Contains("ISweeperSchedule.EnsureScheduledAsync is internal", schedule.Message);
    }

    private async Task<(Guid NodeId, LeaseGrant Lease, RecordingListener Listener)> LeaseAsync()
    {
        var listener = new RecordingListener();
        var nodeId = Guid.NewGuid();
        var lease = await Node.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).RenewAsync(nodeId, Node.CreateObjectReference<IRevocationListener>(listener), Guid.Empty, 1);
        return (nodeId, lease, listener);
    }
}
