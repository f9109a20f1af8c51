using Revocation.Abstractions;
using Revocation.Grains.Leases;

namespace Revocation.UnitTests.NearCache;

/// <summary>
/// A silo's relay to one lease partition: a lone revocation leaves at once; revocations made while
/// batches are under way leave together; each completes only when its own batch was answered, and
/// fails with its own batch's failure.
/// </summary>
public sealed class PartitionRelayTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private readonly List<(RevocationNotice[] Notices, TaskCompletionSource Answer)> _sent = [];
    private readonly SemaphoreSlim _sends = new(0);
    private int _taken;

    private PartitionRelay Relay() => new(notices =>
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sent)
        {
            _sent.Add((notices, answer));
        }

        _sends.Release();
        return answer.Task;
    });

    [Fact]
    public async Task ALoneRevocation_LeavesAtOnce_AndCompletesWhenAnswered()
    {
        var relay = Relay();
        var notice = Notice();

        var done = relay.SendAsync(notice);
        var (notices, answer) = await NextSendAsync();

        Assert.Equal([notice], notices);
        Assert.False(done.IsCompleted);
        answer.SetResult();
        await done.WaitAsync(Hang);
    }

    [Fact]
    public async Task RevocationsMadeWhileBatchesAreUnderWay_LeaveTogether_AfterOneIsAnswered()
    {
        var relay = Relay();
        var firstNotices = Enumerable.Range(0, PartitionRelay.BatchesInFlight).Select(_ => Notice()).ToList();
        var first = firstNotices.Select(relay.SendAsync).ToList();
        for (var i = 0; i < PartitionRelay.BatchesInFlight; i++)
        {
            await NextSendAsync();
        }

        RevocationNotice[] waiting = [Notice(), Notice(), Notice()];
        var later = waiting.Select(relay.SendAsync).ToList();
        Assert.False(await _sends.WaitAsync(TimeSpan.FromMilliseconds(200)), "nothing more leaves while the batches in flight are unanswered");

        _sent[0].Answer.SetResult();
        var (together, answer) = await NextSendAsync();

        Assert.Equal(waiting, together);
        var answered = firstNotices.IndexOf(_sent[0].Notices.Single()); // the batches in flight left in either order
        await first[answered].WaitAsync(Hang);
        Assert.All(later, task => Assert.False(task.IsCompleted));
        answer.SetResult();
        await Task.WhenAll(later).WaitAsync(Hang);
        Assert.False(first[1 - answered].IsCompleted, "the other batch is still unanswered");
    }

    [Fact]
    public async Task AFailedBatch_FailsItsOwnRevocations_AndNoOther()
    {
        var relay = Relay();
        var failing = relay.SendAsync(Notice());
        var (_, failingAnswer) = await NextSendAsync();
        var passing = relay.SendAsync(Notice());
        var (_, passingAnswer) = await NextSendAsync();

        failingAnswer.SetException(new TimeoutException("partition silo gone"));
        passingAnswer.SetResult();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => failing.WaitAsync(Hang));
        Assert.Equal("partition silo gone", error.Message);
        await passing.WaitAsync(Hang);
    }

    [Fact]
    public async Task ABacklog_LeavesInBatchesOfAtMostMaxBatch_InOrder()
    {
        var relay = Relay();
        var blockers = Enumerable.Range(0, PartitionRelay.BatchesInFlight).Select(_ => relay.SendAsync(Notice())).ToList();
        for (var i = 0; i < PartitionRelay.BatchesInFlight; i++)
        {
            await NextSendAsync();
        }

        var backlog = Enumerable.Range(0, PartitionRelay.MaxBatch + 10).Select(_ => Notice()).ToList();
        var done = backlog.Select(relay.SendAsync).ToList();
        _sent[0].Answer.SetResult();
        _sent[1].Answer.SetResult();
        var (a, answerA) = await NextSendAsync();
        var (b, answerB) = await NextSendAsync();
        answerA.SetResult();
        answerB.SetResult();

        // Both answers free a slot at once, and their continuations run in parallel: the batch taken
        // first may be handed to the transport second. Each batch keeps the queue's order.
        var (first, second) = backlog.IndexOf(a[0]) < backlog.IndexOf(b[0]) ? (a, b) : (b, a);
        Assert.Equal(backlog, [.. first, .. second]);
        Assert.Equal(PartitionRelay.MaxBatch, first.Length);
        await Task.WhenAll(done).WaitAsync(Hang);
        await Task.WhenAll(blockers).WaitAsync(Hang);
    }

    [Fact]
    public async Task ASendThatThrowsAtOnce_FailsItsRevocations_AndTheRelayGoesOn()
    {
        var calls = 0;
        var relay = new PartitionRelay(_ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("refused") : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => relay.SendAsync(Notice()).WaitAsync(Hang));
        await relay.SendAsync(Notice()).WaitAsync(Hang);
        await relay.SendAsync(Notice()).WaitAsync(Hang);
    }

    private async Task<(RevocationNotice[] Notices, TaskCompletionSource Answer)> NextSendAsync()
    {
        Assert.True(await _sends.WaitAsync(Hang), "a batch was sent");
        lock (_sent)
        {
            return _sent[_taken++];
        }
    }

    private static RevocationNotice Notice() => RevocationNotice.Token(TestTokens.Issuer, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(5));
}
