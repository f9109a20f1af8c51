using System.Collections.Concurrent;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>An API node's listener as the lease grain sees it: records notices, or holds them unanswered (a paused node).</summary>
public sealed class RecordingListener(bool answers = true) : IRevocationListener
{
    private readonly TaskCompletionSource _never = new();

    private int _messages;

    public ConcurrentQueue<RevocationNotice> Received { get; } = new();

    /// <summary>Calls received: one per message from the lease grain, each with one or more notices.</summary>
    public int Messages => Volatile.Read(ref _messages);

    public Task ApplyAsync(RevocationNotice[] notices)
    {
        Interlocked.Increment(ref _messages);
        foreach (var notice in notices)
        {
            Received.Enqueue(notice);
        }

        return answers ? Task.CompletedTask : _never.Task;
    }
}
