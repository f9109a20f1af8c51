using Orleans.Concurrency;

namespace Revocation.Grains;

/// <summary>
/// The sweeper's schedule, kept by the silos (<see cref="SweeperGrain"/>). Silo-internal: not in the
/// contracts package, and refused when a client calls it (<see cref="SiloInternalCallFilter"/>).
/// </summary>
[Alias("Revocation.ISweeperSchedule")]
public interface ISweeperSchedule : IGrainWithIntegerKey
{
    /// <summary>
    /// Registers the sweep reminder if it is missing or its period differs from the configured one;
    /// called by every silo at start, idempotent, and never postpones an existing schedule.
    /// Interleaves with a running sweep: it touches only the reminder table, and a silo's start
    /// waits for it, so it must not queue behind a sweep of up to <c>Sweeper:TimeBudget</c>.
    /// </summary>
    /// <exception cref="Abstractions.RegistryStorageException">The reminder table could not be read or written.</exception>
    [AlwaysInterleave, Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();
}
