using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// The lease grain on a real silo whose clock moves only when the test moves it: a revocation
/// returns when every leased node acknowledged it or its lease ran out — at that instant, not a
/// tick before — and never extends a lease it is waiting on.
/// </summary>
public sealed class NodeLeaseGrainTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = new NodeLeaseOptions().LeaseDuration;
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    /// <summary>Real time allowed for a call the clock has released: only a hang takes longer.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);

    private readonly TickingClock _clock = new(TestClock.Create().GetUtcNow());
    private TestSilos _silos = null!;

    private INodeLeaseGrain Leases => _silos.Grains.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key);

    private INodeLeaseNotifications Notifications => _silos.Grains.GetGrain<INodeLeaseNotifications>(INodeLeaseGrain.Key);

    public async Task InitializeAsync() => _silos = await TestSilos.StartAsync(1, "leases", clock: _clock);

    public async Task DisposeAsync()
    {
        // Calls a test left unanswered would hold the silo's shutdown until its stop timeout.
        foreach (var listener in _nodes.Keys)
        {
            listener.Resume();
        }

        foreach (var listener in _gated.Keys)
        {
            listener.AcknowledgeAll();
        }

        await _silos.DisposeAsync();
    }

    [Fact]
    public async Task FirstRevocation_WaitsOutLeasesAnEarlierActivationMayHaveGranted_ToTheTick()
    {
        await RoundTripAsync(); // activates the grain: its start is now
        var node = new RecordingListener();
        await RenewAsync(node);
        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(node); // the revocation started at the grain's start, and the node acknowledged it

        _clock.Advance(Lease - OneTick);
        await AssertPendingAsync(revocation, "a tick before one lease has passed since the grain started");
        _clock.Advance(OneTick);

        await revocation.WaitAsync(Hang);
    }

    [Fact]
    public async Task Revocation_ReachesEveryLeasedNode_BeforeItReturns_WithoutWaitingForTime()
    {
        await PassLeaseStartAsync();
        var (a, b) = (new RecordingListener(), new RecordingListener());
        await RenewAsync(a);
        await RenewAsync(b);
        var notice = Notice();

        await Notifications.NotifyAsync(notice).WaitAsync(Hang); // the clock stands still: no lease ran out meanwhile

        Assert.Contains(notice, a.Received);
        Assert.Contains(notice, b.Received);
    }

    [Fact]
    public async Task NodeThatNeverAnswers_HoldsTheRevocationUntilExactlyItsLeaseEnd_ThenGetsANewLease()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(paused);

        _clock.Advance(Lease - OneTick);
        await AssertPendingAsync(revocation, "the paused node's lease has a tick left");
        _clock.Advance(OneTick);
        await revocation.WaitAsync(Hang);
        var next = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId, NextRenewal());

        Assert.NotEqual(held.LeaseId, next.LeaseId);
    }

    [Fact]
    public async Task Batch_ReachesEveryLeasedNodeWhole_AndWaitsForANodeThatHoldsAnyOfIt()
    {
        await PassLeaseStartAsync();
        var (quick, paused) = (new RecordingListener(), new RecordingListener(answers: false));
        await RenewAsync(quick);
        await RenewAsync(paused);
        RevocationNotice[] batch = [Notice(), Notice(), Notice()];

        var revocation = Notifications.NotifyBatchAsync(batch);
        await DeliveredAsync(quick); // the two deliveries run side by side, in either order
        await DeliveredAsync(paused);

        Assert.All(batch, notice => Assert.Contains(notice, quick.Received));
        Assert.All(batch, notice => Assert.Contains(notice, paused.Received));
        _clock.Advance(Lease - OneTick);
        await AssertPendingAsync(revocation, "the paused node has not acknowledged the batch and its lease has a tick left");
        _clock.Advance(OneTick);
        await revocation.WaitAsync(Hang);
    }

    [Fact]
    public async Task RenewalWhileANoticeIsUndelivered_IsNotExtended()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(paused);
        var elapsed = TimeSpan.FromMilliseconds(1500);
        _clock.Advance(elapsed);

        var renewal = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId, NextRenewal());
        _clock.Advance(Lease - elapsed);
        await revocation.WaitAsync(Hang);

        Assert.Equal(held.LeaseId, renewal.LeaseId);
        Assert.Equal(Lease - elapsed, renewal.Duration); // what was left of the lease, not a new one
    }

    [Fact]
    public async Task NodeThatGaveItsLeaseUp_IsNoLongerWaitedFor()
    {
        await PassLeaseStartAsync();
        var stopping = new RecordingListener(answers: false);
        var held = await RenewAsync(stopping);
        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(stopping);

        await Leases.ReleaseAsync(NodeOf(stopping), held.LeaseId);

        // The clock stands still throughout: neither waited for the lease to run out.
        await revocation.WaitAsync(Hang);
        await Notifications.NotifyAsync(Notice()).WaitAsync(Hang);
    }

    [Fact]
    public async Task NodeWhoseLeaseHasATickLeft_IsToldAndWaitedFor()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        await RenewAsync(paused);
        _clock.Advance(Lease - OneTick);

        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(paused);

        await AssertPendingAsync(revocation, "the node's lease has a tick left");
        _clock.Advance(TimeSpan.FromMilliseconds(1)); // timed waits count whole milliseconds: the last tick is waited for as one
        await revocation.WaitAsync(Hang);
    }

    [Fact]
    public async Task NodeWhoseLeaseRanOut_ExactlyAtItsEnd_IsNotWaitedFor()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        await RenewAsync(paused);
        _clock.Advance(Lease);

        await Notifications.NotifyAsync(Notice()).WaitAsync(Hang); // the clock stands still: not waited for

        Assert.Equal(0, paused.Messages);
    }

    [Fact]
    public async Task ManyRevocationsAtOnce_ReachANodeInFewerMessagesThanRevocations()
    {
        await PassLeaseStartAsync();
        var node = new RecordingListener();
        await RenewAsync(node);
        var notices = Enumerable.Range(0, 300).Select(_ => Notice()).ToList();

        await Task.WhenAll(notices.Select(n => Notifications.NotifyAsync(n)));

        Assert.Equal(notices.ToHashSet(), node.Received.ToHashSet());
        Assert.True(node.Messages < notices.Count, $"{node.Messages} messages for {notices.Count} revocations");
    }

    [Fact]
    public async Task FirstNodeLapsingAsItIsQueued_DoesNotLetTheRevocationReturnBeforeTheOthers()
    {
        await PassLeaseStartAsync();
        var lapsing = new RecordingListener(answers: false);
        var paused = new RecordingListener(answers: false);
        await RenewAsync(lapsing); // queued first: the grain keeps its nodes in the order they came
        _clock.Advance(TimeSpan.FromSeconds(1));
        await RenewAsync(paused);
        _clock.Advance(Lease - TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(2));

        // The revocation's start reads the clock with one tick of the first node's lease left; the
        // reading before its delivery finds it over, and that delivery settles at once.
        _clock.TickPerReading = true;
        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(paused);
        _clock.TickPerReading = false;

        await AssertPendingAsync(revocation, "the paused node, whose lease has about a second left, never acknowledged");
        Assert.Equal(0, lapsing.Messages);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await revocation.WaitAsync(Hang);
    }

    [Fact]
    public async Task SteadyRevocations_ToANodeThatAcknowledgesEach_NeverCostItsLease()
    {
        await PassLeaseStartAsync();
        var node = new GatedListener();
        var lease = (await Leases.RenewAsync(_gatedNode, Reference(node), Guid.Empty, NextRenewal())).LeaseId;
        var revocations = new List<Task>();

        // Every second a revocation arrives while the one before is still being delivered: something
        // is always in flight to the node, for three leases' time.
        for (var second = 0; second < 3 * Lease.TotalSeconds; second++)
        {
            revocations.Add(Notifications.NotifyAsync(Notice()));
            await RoundTripAsync();
            node.AcknowledgeAll();
            await Eventually.HoldsAsync(Hang, () => Task.FromResult(node.Messages > second), () => $"message {second + 1} never reached the node", TimeSpan.FromMilliseconds(10));
            _clock.Advance(TimeSpan.FromSeconds(1));
            var renewal = await Leases.RenewAsync(_gatedNode, Reference(node), lease, NextRenewal());

            Assert.Equal(lease, renewal.LeaseId);
            Assert.True(renewal.Duration >= Lease - TimeSpan.FromSeconds(1), $"second {second + 1}: extended only to {renewal.Duration}");
        }

        node.AcknowledgeAll();
        await Task.WhenAll(revocations).WaitAsync(Hang);
    }

    [Fact]
    public async Task NodeThatRenewsButNeverAcknowledges_LosesItsLeaseOneLeaseAfterTheNotice()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var revocation = Notifications.NotifyAsync(Notice());
        await DeliveredAsync(paused);

        for (var second = 1; second < Lease.TotalSeconds; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var renewal = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId, NextRenewal());
            Assert.Equal(Lease - TimeSpan.FromSeconds(second), renewal.Duration);
        }

        _clock.Advance(TimeSpan.FromSeconds(1) - OneTick);
        await AssertPendingAsync(revocation, "a tick is left of one lease since the notice");
        _clock.Advance(OneTick);
        await revocation.WaitAsync(Hang);
        Assert.NotEqual(held.LeaseId, (await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId, NextRenewal())).LeaseId);
    }

    [Fact]
    public async Task RenewalArrivingAfterANewerOne_ChangesNothing()
    {
        await PassLeaseStartAsync();
        var node = new RecordingListener();
        var nodeId = Guid.NewGuid();
        var reference = _silos.Grains.CreateObjectReference<IRevocationListener>(node);
        var first = await Leases.RenewAsync(nodeId, reference, Guid.Empty, renewal: 1);
        await Leases.RenewAsync(nodeId, reference, first.LeaseId, renewal: 3);

        // Renewal 2 was given up by the node and lands late, still naming no lease.
        await Leases.RenewAsync(nodeId, reference, Guid.Empty, renewal: 2);
        var next = await Leases.RenewAsync(nodeId, reference, first.LeaseId, renewal: 4);

        Assert.Equal(first.LeaseId, next.LeaseId);
    }

    [Fact]
    public async Task NodeLeasedInTheFirstLease_IsSentEveryRevocationSinceTheStart_AndWaitedFor()
    {
        await RoundTripAsync(); // activates the grain: its start is now
        var before = Notice();
        var revocation = Notifications.NotifyAsync(before);
        await RoundTripAsync();
        var paused = new RecordingListener(answers: false);
        _clock.Advance(TimeSpan.FromSeconds(1));

        await RenewAsync(paused);
        await DeliveredAsync(paused);

        Assert.Contains(before, paused.Received);
        _clock.Advance(Lease - TimeSpan.FromSeconds(1));
        await AssertPendingAsync(revocation, "the node leased after it began has not acknowledged and has a second of lease left");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await revocation.WaitAsync(Hang);
    }

    [Fact]
    public async Task NodeLeasedAfterTheFirstLease_IsNotSentEarlierRevocations()
    {
        await RoundTripAsync();
        var revocation = Notifications.NotifyAsync(Notice());
        _clock.Advance(Lease);
        await revocation.WaitAsync(Hang);
        var node = new RecordingListener();

        await RenewAsync(node);
        await RoundTripAsync();

        Assert.Equal(0, node.Messages);
    }

    private readonly Guid _gatedNode = Guid.NewGuid();

    private static RevocationNotice Notice() => RevocationNotice.Token(TestTokens.Issuer, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(5));

    /// <summary>A call that changes nothing (giving up a lease nobody holds); it activates the grain and queues behind what was sent before it.</summary>
    private Task RoundTripAsync() => Leases.ReleaseAsync(Guid.NewGuid(), Guid.NewGuid());

    private Task PassLeaseStartAsync() => _clock.PassLeaseStartAsync(_silos.Grains);

    /// <summary>
    /// Returns once the grain has sent the node its notices and armed its wait for the answer at
    /// the lease's end: the delivery is under way. The node records the call as it is sent, while
    /// the grain's turn still reads the clock for that wait; a round trip (the grain runs one turn
    /// at a time) returns only after the turn reached it, so a clock the test moves next cannot
    /// move under that reading.
    /// </summary>
    private async Task DeliveredAsync(RecordingListener listener)
    {
        await Eventually.HoldsAsync(Hang, () => Task.FromResult(listener.Messages > 0), () => "the lease grain never delivered to the node", TimeSpan.FromMilliseconds(20));
        await RoundTripAsync();
    }

    /// <summary>The call has not returned, though the grain has had a turn since the clock moved and some real time to answer.</summary>
    private async Task AssertPendingAsync(Task call, string because)
    {
        await RoundTripAsync();
        await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(call.IsCompleted, $"the revocation returned although {because}");
    }

    private readonly Dictionary<RecordingListener, (Guid Node, IRevocationListener Reference)> _nodes = [];

    private long _renewals;

    /// <summary>Renewals are numbered per node; one counter for all of them keeps each node's increasing.</summary>
    private long NextRenewal() => ++_renewals;

    private readonly Dictionary<GatedListener, IRevocationListener> _gated = [];

    private Guid NodeOf(RecordingListener listener) => _nodes[listener].Node;

    private IRevocationListener Reference(RecordingListener listener) => _nodes[listener].Reference;

    private IRevocationListener Reference(GatedListener listener)
    {
        if (!_gated.TryGetValue(listener, out var reference))
        {
            _gated[listener] = reference = _silos.Grains.CreateObjectReference<IRevocationListener>(listener);
        }

        return reference;
    }

    private Task<LeaseGrant> RenewAsync(RecordingListener listener)
    {
        if (!_nodes.ContainsKey(listener))
        {
            _nodes[listener] = (Guid.NewGuid(), _silos.Grains.CreateObjectReference<IRevocationListener>(listener));
        }

        return Leases.RenewAsync(NodeOf(listener), Reference(listener), Guid.Empty, NextRenewal());
    }
}
