using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Revocation.Abstractions;

namespace Revocation.Silo.Storage;

/// <summary>
/// Orleans grain storage whose failures can cross the wire. Orleans' ADO.NET provider lets the
/// driver's own exceptions out (Npgsql's <c>PostgresException</c> when the database restarts), and
/// no client has a codec for them: a subject grain whose state could not be read on activation
/// answered its callers with Orleans' "Could not find a codec for type Npgsql.PostgresException"
/// instead of the failure. Each failure becomes a
/// <see cref="RegistryStorageException"/> that says what failed, without the driver's exception
/// (its inner exceptions and data would not serialize either). A version conflict stays an
/// <see cref="InconsistentStateException"/>: it is Orleans' own, serializable (it carries no driver
/// exception from this provider), and the grain acts on it.
/// </summary>
public sealed class WireSafeGrainStorage(IGrainStorage inner, string name) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>
    /// Wraps the grain storage registered as <paramref name="name"/> (by <c>AddAdoNetGrainStorage</c>,
    /// say). Orleans resolves the storage's silo lifecycle participant through the same key, so the
    /// wrapper takes part for it.
    /// </summary>
    public static void Wrap(IServiceCollection services, string name)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var factory = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The grain storage '{name}' is not registered through a factory.");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => new WireSafeGrainStorage((IGrainStorage)factory(sp, key), name));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.ReadStateAsync(stateName, grainId, grainState), "read", stateName, grainId);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.WriteStateAsync(stateName, grainId, grainState), "written", stateName, grainId);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.ClearStateAsync(stateName, grainId, grainState), "cleared", stateName, grainId);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task TranslateAsync(Func<Task> operation, string verb, string stateName, GrainId grainId)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (ex is not (InconsistentStateException { InnerException: null } or RegistryStorageException))
        {
            throw new RegistryStorageException($"The state '{stateName}' of {grainId} could not be {verb} (grain storage '{name}'): {ex.Message}");
        }
    }
}
