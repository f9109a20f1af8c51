using System.Diagnostics;
using Revocation.Abstractions;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.NearCache;

/// <summary>
/// The lease grain on a real silo with 2-second leases: a revocation returns when every leased node
/// acknowledged it or its lease ran out, never earlier, and never extends a lease it is waiting on.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NodeLeaseGrainTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);
    private TestSilos _silos = null!;

    private INodeLeaseGrain Leases => _silos.Grains.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key);

    public async Task InitializeAsync() =>
        _silos = await TestSilos.StartAsync(1, "leases", settings: new Dictionary<string, string?> { ["NodeLeases:LeaseDuration"] = "00:00:02" });

    public async Task DisposeAsync() => await _silos.DisposeAsync();

    [Fact]
    public async Task FirstRevocation_WaitsOutLeasesAnEarlierActivationMayHaveGranted()
    {
        var clock = Stopwatch.StartNew();
        await Leases.NotifyAsync(Notice());

        Assert.True(clock.Elapsed >= Lease - TimeSpan.FromMilliseconds(100), $"returned after {clock.Elapsed}");
    }

    [Fact]
    public async Task Revocation_ReachesEveryLeasedNode_BeforeItReturns()
    {
        await _silos.PassLeaseStartAsync();
        var (a, b) = (new RecordingListener(), new RecordingListener());
        await RenewAsync(a);
        await RenewAsync(b);

        var notice = Notice();
        var clock = Stopwatch.StartNew();
        await Leases.NotifyAsync(notice);

        Assert.Contains(notice, a.Received);
        Assert.Contains(notice, b.Received);
        Assert.True(clock.Elapsed < Lease, $"took {clock.Elapsed} with every node answering");
    }

    [Fact]
    public async Task NodeThatNeverAnswers_HoldsTheRevocationUntilItsLeaseRunsOut_ThenGetsANewLease()
    {
        await _silos.PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var renewedAt = Stopwatch.StartNew();

        await Leases.NotifyAsync(Notice());
        var returnedAfter = renewedAt.Elapsed;
        var next = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId);

        Assert.InRange(returnedAfter, Lease - TimeSpan.FromMilliseconds(200), Lease + TimeSpan.FromSeconds(2));
        Assert.NotEqual(held.LeaseId, next.LeaseId);
    }

    [Fact]
    public async Task RenewalWhileANoticeIsUndelivered_IsNotExtended()
    {
        await _silos.PassLeaseStartAsync();
        var paused = new RecordingListener(answers: false);
        var held = await RenewAsync(paused);
        var revocation = Leases.NotifyAsync(Notice());
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var renewal = await Leases.RenewAsync(NodeOf(paused), Reference(paused), held.LeaseId);
        await revocation;

        Assert.Equal(held.LeaseId, renewal.LeaseId);
        Assert.True(renewal.Duration < Lease - TimeSpan.FromMilliseconds(300), $"granted {renewal.Duration} while a notice was undelivered");
    }

    [Fact]
    public async Task NodeThatGaveItsLeaseUp_IsNoLongerWaitedFor()
    {
        await _silos.PassLeaseStartAsync();
        var stopping = new RecordingListener(answers: false);
        var held = await RenewAsync(stopping);
        var clock = Stopwatch.StartNew();
        var revocation = Leases.NotifyAsync(Notice());
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        await Leases.ReleaseAsync(NodeOf(stopping), held.LeaseId);
        await revocation;
        var next = await Leases.NotifyAsync(Notice()).ContinueWith(_ => clock.Elapsed);

        Assert.True(next < Lease - TimeSpan.FromMilliseconds(500), $"revocations took {next} although the node had let its lease go");
    }

    [Fact]
    public async Task NodeWhoseLeaseRanOut_IsNotWaitedFor()
    {
        await _silos.PassLeaseStartAsync();
        await RenewAsync(new RecordingListener(answers: false));
        await Task.Delay(Lease + TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Leases.NotifyAsync(Notice());

        Assert.True(clock.Elapsed < Lease / 2, $"waited {clock.Elapsed} for a node without a lease");
    }

    [Fact]
    public async Task ManyRevocationsAtOnce_ReachANodeInFewerMessagesThanRevocations()
    {
        await _silos.PassLeaseStartAsync();
        var node = new RecordingListener();
        await RenewAsync(node);
        var notices = Enumerable.Range(0, 300).Select(_ => Notice()).ToList();

        await Task.WhenAll(notices.Select(n => Leases.NotifyAsync(n)));

        Assert.Equal(notices.ToHashSet(), node.Received.ToHashSet());
        Assert.True(node.Messages < notices.Count, $"{node.Messages} messages for {notices.Count} revocations");
    }

    private static RevocationNotice Notice() => RevocationNotice.Token(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(5));

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
