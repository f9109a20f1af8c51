using Orleans.Runtime;
using Revocation.Abstractions;

namespace Revocation.Silo.Hosting;

/// <summary>
/// Registers the sweep reminder when a silo becomes active, so a fresh cluster sweeps without
/// anyone asking. Every silo does it; registering an existing reminder is harmless. The silo's
/// start waits for this call, which is why <see cref="ISweeperGrain.EnsureScheduledAsync"/>
/// interleaves with a running sweep instead of queueing behind it (and its response timeout).
/// </summary>
internal sealed class ScheduleSweeperOnSiloStart(IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ScheduleSweeperOnSiloStart), ServiceLifecycleStage.Active,
            _ => grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).EnsureScheduledAsync());
}
