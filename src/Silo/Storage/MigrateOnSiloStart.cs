using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Storage;

/// <summary>
/// Brings the schema up to date in the first stage of the silo lifecycle, before the silo
/// answers any call (and before storage providers that need their tables start).
/// </summary>
internal sealed class MigrateOnSiloStart(SchemaMigrator migrator, IOptions<RegistryDatabaseOptions> options)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (options.Value.MigrateOnStart)
        {
            lifecycle.Subscribe(nameof(MigrateOnSiloStart), ServiceLifecycleStage.First, ct => migrator.MigrateAsync(ct));
        }
    }
}
