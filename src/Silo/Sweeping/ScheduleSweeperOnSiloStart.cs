using Orleans.Runtime;
using Revocation.Abstractions;
using Revocation.Grains;

namespace Revocation.Silo.Sweeping;

/// <summary>
/// Registers the sweep reminder when a silo becomes active, so a fresh cluster sweeps without
/// anyone asking. Every silo does it; registering an existing reminder is harmless. The silo's
/// start waits for this call, which is why <see cref="ISweeperSchedule.EnsureScheduledAsync"/>
/// interleaves with a running sweep instead of queueing behind it (and its response timeout).
/// </summary>
internal sealed class ScheduleSweeperOnSiloStart(IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Attempts = 5;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ScheduleSweeperOnSiloStart), ServiceLifecycleStage.Active, EnsureScheduledAsync);

    private async Task EnsureScheduledAsync(CancellationToken cancellationToken)
    {
        // The sweeper grain may live on a silo that is stopping right now (a rolling restart, a
        // recycle): that call is rejected, and failing here would fail this silo's whole start.
        // A moment later the grain answers from another silo.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<ISweeperSchedule>(ISweeperGrain.Key).EnsureScheduledAsync();
                return;
            }
            catch (Exception ex) when (attempt < Attempts && SweepScheduleRetries.AskAgain(ex, attempt) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
