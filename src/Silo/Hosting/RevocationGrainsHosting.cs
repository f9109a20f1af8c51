using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Revocation.Grains;
using Revocation.Hosting;
using Revocation.Silo.Clustering;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Hosting;

public static class RevocationGrainsHosting
{
    /// <summary>
    /// The token, subject and session grains: their settings (validated at start), idle collection
    /// per grain type (the cache TTL) and memory shedding, the grain directory's cache, the
    /// activation caps, the subject grains' storage, the metrics, and the filter that keeps the
    /// silos' own grain interfaces from clients.
    /// </summary>
    public static ISiloBuilder AddRevocationGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;

        // The silos' own grain interfaces answer grains and silos only, never a client.
        silo.AddIncomingGrainCallFilter<SiloInternalCallFilter>();

        services.AddValidatedOptions<TokenGrainOptions, TokenGrainOptionsValidator>(configuration.GetSection(TokenGrainOptions.SectionName));

        services.AddValidatedOptions<SessionRevocationOptions, SessionRevocationOptionsValidator>(configuration.GetSection(SessionRevocationOptions.SectionName));

        services.AddValidatedOptions<SubjectRevocationOptions, SubjectRevocationOptionsValidator>(configuration.GetSection(SubjectRevocationOptions.SectionName));

        services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<TokenGrainOptions>, IOptions<SubjectRevocationOptions>, IOptions<SessionRevocationOptions>>(
                (collection, tokens, subjects, sessions) => GrainCollectionSettings.Apply(collection, tokens.Value, subjects.Value, sessions.Value))
            .Bind(configuration.GetSection("GrainCollection"));

        // Orleans caches directory entries, up to 1 000 000 (≈300 bytes each). Its default (Local)
        // directory keeps one for every grain it registers even after the grain deactivates: a walk
        // of distinct tokens filled a 384 MiB heap through that cache with the token grains capped.
        // The distributed directory drops its own registrations at deactivation but keeps entries
        // it looked up until they are evicted. Size it like the cap; a miss only costs a lookup.
        services.AddOptions<GrainDirectoryOptions>()
            .Configure<IOptions<TokenGrainOptions>>((directory, tokenOptions) =>
            {
                if (tokenOptions.Value.MaxActivationsPerSilo > 0)
                {
                    directory.CacheSize = tokenOptions.Value.MaxActivationsPerSilo;
                }
            })
            .Bind(configuration.GetSection(GrainDirectoryOptionsValidator.SectionName));

        // Subject grains keep their not-before through Orleans grain persistence on the same
        // database (tables and queries: Storage/Migrations/0002_orleans_grain_storage.sql).
        silo.AddAdoNetGrainStorage(SubjectGrain.StorageName, (OptionsBuilder<AdoNetGrainStorageOptions> storage) =>
            storage.Configure<IOptions<RegistryDatabaseOptions>>((adoNet, database) =>
            {
                adoNet.Invariant = RegistryDatabaseOptions.AdoNetInvariant;
                adoNet.ConnectionString = database.Value.ConnectionString;
            }));

        // Its failures (the driver's exceptions) cannot be serialized to a client: translated.
        WireSafeGrainStorage.Wrap(services, SubjectGrain.StorageName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RegistryMetrics>();
        services.TryAddSingleton<TokenActivationCap>();
        services.TryAddSingleton<SubjectActivationCap>();
        services.TryAddSingleton<SessionActivationCap>();
        return silo;
    }
}
