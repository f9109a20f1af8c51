using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>
/// The revocations on their way from one silo to one lease partition: sent in batches, at most
/// <see cref="BatchesInFlight"/> at a time; what arrives meanwhile waits and leaves together.
/// Safe to call from any grain's turn at once.
/// </summary>
internal sealed class PartitionRelay(Func<RevocationNotice[], Task> send)
{
    /// <summary>Batches under way to the partition at once, from this silo.</summary>
    public const int BatchesInFlight = 2;

    /// <summary>The most revocations one message carries.</summary>
    public const int MaxBatch = 512;

    private readonly Lock _lock = new();
    private readonly Queue<Batch> _waiting = new();
    private Batch? _filling;
    private int _inFlight;

    /// <summary>Completes when the batch carrying <paramref name="notice"/> was answered; fails with its failure.</summary>
    public Task SendAsync(RevocationNotice notice)
    {
        Batch? start = null;
        Task done;
        lock (_lock)
        {
            if (_filling is null || _filling.Notices.Count == MaxBatch)
            {
                _filling = new Batch();
                _waiting.Enqueue(_filling);
            }

            _filling.Notices.Add(notice);
            done = _filling.Done.Task;
            if (_inFlight < BatchesInFlight)
            {
                _inFlight++;
                start = TakeWaiting();
            }
        }

        if (start is not null)
        {
            // Off the calling grain's turn, with none of its context: a batch carries many grains'
            // revocations and outlives the turn of the one that started it.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => RunAsync(start));
            }
        }

        return done;
    }

    private async Task RunAsync(Batch? batch)
    {
        while (batch is not null)
        {
            try
            {
                await send([.. batch.Notices]).ConfigureAwait(false);
                batch.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                batch.Done.TrySetException(ex);
            }

            lock (_lock)
            {
                batch = _waiting.Count > 0 ? TakeWaiting() : null;
                if (batch is null)
                {
                    _inFlight--;
                }
            }
        }
    }

    private Batch TakeWaiting()
    {
        var batch = _waiting.Dequeue();
        if (batch == _filling)
        {
            _filling = null;
        }

        return batch;
    }

    private sealed class Batch
    {
        public List<RevocationNotice> Notices { get; } = [];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
