using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.Grains.Leases;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.NearCache;

/// <summary>
/// The lease grain on a real silo whose clock moves only when the test moves it: a revocation
/// returns when every leased node acknowledged it or its lease ran out — at that instant, not a
/// tick before — and never extends a lease it is waiting on.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NodeLeaseGrainTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = new NodeLeaseOptions().LeaseDuration;
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    /// <summary>Real time allowed for a call the clock has released: only a hang takes longer.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _clock = TestClock.Create();
    private TestSilos _silos = null!;

    private INodeLeaseGrain Leases => _silos.Grains.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key);

    public async Task InitializeAsync() => _silos = await TestSilos.StartAsync(1, "leases", clock: _clock);

    public async Task DisposeAsync() => await _silos.DisposeAsync();

    [Fact]
    public async Task FirstRevocation_WaitsOutLeasesAnEarlierActivationMayHaveGranted_ToTheTick()
    {
        await RoundTripAsync(); // activates the grain: its start is now
        var node = new RecordingListener();
        await RenewAsync(node);
        var revocation = Leases.NotifyAsync(Notice());
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

        await Leases.NotifyAsync(notice).WaitAsync(Hang); // the clock stands still: no lease ran out meanwhile

        Assert.Contains(notice, a.Received);
        Assert.Contains(notice, b.Received);
    }

    [Fact]
    public async Task NodeThatNeverAnswers_HoldsTheRevocationUntilExactlyItsLeaseEnd_ThenGetsANewLease()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var revocation = Leases.NotifyAsync(Notice());
        await DeliveredAsync(paused);

        _clock.Advance(Lease - OneTick);
        await AssertPendingAsync(revocation, "the paused node's lease has a tick left");
        _clock.Advance(OneTick);
        await revocation.WaitAsync(Hang);
        var next = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId);

        Assert.NotEqual(held.LeaseId, next.LeaseId);
    }

    [Fact]
    public async Task RenewalWhileANoticeIsUndelivered_IsNotExtended()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var revocation = Leases.NotifyAsync(Notice());
        await DeliveredAsync(paused);
        var elapsed = TimeSpan.FromMilliseconds(1500);
        _clock.Advance(elapsed);

        var renewal = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId);
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
        var revocation = Leases.NotifyAsync(Notice());
        await DeliveredAsync(stopping);

        await Leases.ReleaseAsync(NodeOf(stopping), held.LeaseId);

        // The clock stands still throughout: neither waited for the lease to run out.
        await revocation.WaitAsync(Hang);
        await Leases.NotifyAsync(Notice()).WaitAsync(Hang);
    }

    [Fact]
    public async Task NodeWhoseLeaseHasATickLeft_IsToldAndWaitedFor()
    {
        await PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        await RenewAsync(paused);
        _clock.Advance(Lease - OneTick);

        var revocation = Leases.NotifyAsync(Notice());
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

        await Leases.NotifyAsync(Notice()).WaitAsync(Hang); // the clock stands still: not waited for

        Assert.Equal(0, paused.Messages);
    }

    [Fact]
    public async Task ManyRevocationsAtOnce_ReachANodeInFewerMessagesThanRevocations()
    {
        await PassLeaseStartAsync();
        var node = new RecordingListener();
        await RenewAsync(node);
        var notices = Enumerable.Range(0, 300).Select(_ => Notice()).ToList();

        await Task.WhenAll(notices.Select(n => Leases.NotifyAsync(n)));

        Assert.Equal(notices.ToHashSet(), node.Received.ToHashSet());
        Assert.True(node.Messages < notices.Count, $"{node.Messages} messages for {notices.Count} revocations");
    }

    private static RevocationNotice Notice() => RevocationNotice.Token(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(5));

    /// <summary>A call that changes nothing (giving up a lease nobody holds); it activates the grain and queues behind what was sent before it.</summary>
    private Task RoundTripAsync() => Leases.ReleaseAsync(Guid.NewGuid(), Guid.NewGuid());

    private Task PassLeaseStartAsync() => _clock.PassLeaseStartAsync(_silos.Grains);

    /// <summary>Returns once the grain has sent the node its notices: the delivery is under way.</summary>
    private static Task DeliveredAsync(RecordingListener listener) =>
        Eventually.HoldsAsync(Hang, () => Task.FromResult(listener.Messages > 0), () => "the lease grain never delivered to the node", TimeSpan.FromMilliseconds(20));

    /// <summary>The call has not returned, though the grain has had a turn since the clock moved and some real time to answer.</summary>
    private async Task AssertPendingAsync(Task call, string because)
    {
        await RoundTripAsync();
        await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(call.IsCompleted, $"the revocation returned although {because}");
    }

    private readonly Dictionary<RecordingListener, (Guid Node, IRevocationListener Reference)> _nodes = [];

    private Guid NodeOf(RecordingListener listener) => _nodes[listener].Node;

    private IRevocationListener Reference(RecordingListener listener) => _nodes[listener].Reference;

    private Task<LeaseGrant> RenewAsync(RecordingListener listener)
    {
        if (!_nodes.ContainsKey(listener))
        {
            _nodes[listener] = (Guid.NewGuid(), _silos.Grains.CreateObjectReference<IRevocationListener>(listener));
        }

        return Leases.RenewAsync(NodeOf(listener), Reference(listener), Guid.Empty);
    }
}
