using System.Collections.Concurrent;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>An API node's listener that acknowledges each message only when the test says so (a slow but healthy node).</summary>
public sealed class GatedListener : IRevocationListener
{
    private readonly ConcurrentQueue<TaskCompletionSource> _unanswered = new();
    private int _messages;

    public ConcurrentQueue<RevocationNotice> Received { get; } = new();

    /// <summary>Calls received: one per message from the lease grain.</summary>
    public int Messages => Volatile.Read(ref _messages);

    public Task ApplyAsync(RevocationNotice[] notices)
    {
        foreach (var notice in notices)
        {
            Received.Enqueue(notice);
        }

        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _unanswered.Enqueue(answer);
        Interlocked.Increment(ref _messages);
        return answer.Task;
    }

    /// <summary>Acknowledges every message received so far.</summary>
    public void AcknowledgeAll()
    {
        while (_unanswered.TryDequeue(out var answer))
        {
            answer.SetResult();
        }
    }
}
