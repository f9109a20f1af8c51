using System.Collections.Concurrent;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>An API node's listener as the lease grain sees it: records notices, or holds them unanswered (a paused node).</summary>
public sealed class RecordingListener(bool answers = true) : IRevocationListener
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

        return answers ? Task.CompletedTask : _held.Task;
    }

    /// <summary>
    /// Answers every call held and every later one (the paused node resumed). A test ends with it:
    /// a silo shuts down only once the calls its grains made to listeners in its process returned,
    /// and a held one kept the test's shutdown waiting for the silo's whole stop timeout.
    /// </summary>
    public void Resume() => _held.TrySetResult();
}
