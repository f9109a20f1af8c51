using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Revocation.Grains;
using Revocation.Grains.Received;
using Revocation.Grains.Leases;
using Revocation.Silo.Rejuvenation;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Hosting;

public static class RegistrySiloBuilderExtensions
{
    /// <summary>
    /// Everything a silo needs to host the registry: options (validated at start), the PostgreSQL
    /// store, migrations at start, the token and session grains' collection and memory-shedding settings, the
    /// subject rule's issuer clock margin and activation cap, and the expired-row sweeper with its reminder.
    /// Clustering is configured separately (<see cref="RegistryClusteringExtensions.UseRegistryClustering"/>).
    /// </summary>
    public static ISiloBuilder AddRevocationRegistry(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;

        // The silos' own grain interfaces answer grains and silos only, never a client.
        silo.AddIncomingGrainCallFilter<SiloInternalCallFilter>();

        services.AddOptions<RegistryDatabaseOptions>()
            .Bind(configuration.GetSection(RegistryDatabaseOptions.SectionName))
            .Configure(o =>
            {
                o.ConnectionString ??= configuration.GetConnectionString(RegistryDatabaseOptions.ConnectionStringName);
                // An empty value (an environment variable set to nothing) means unset: migrate with the serving connection.
                var migrations = o.MigrationsConnectionString ?? configuration.GetConnectionString(RegistryDatabaseOptions.MigrationsConnectionStringName);
                o.MigrationsConnectionString = string.IsNullOrWhiteSpace(migrations) ? null : migrations;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegistryDatabaseOptions>, RegistryDatabaseOptionsValidator>();

        services.AddOptions<TokenGrainOptions>()
            .Bind(configuration.GetSection(TokenGrainOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenGrainOptions>, TokenGrainOptionsValidator>();

        services.AddOptions<SessionRevocationOptions>()
            .Bind(configuration.GetSection(SessionRevocationOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionRevocationOptions>, SessionRevocationOptionsValidator>();

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

        // Near-cache leases of the API nodes and the delivery of revocations to them.
        services.AddOptions<NodeLeaseOptions>()
            .Bind(configuration.GetSection(NodeLeaseOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeLeaseOptions>, NodeLeaseOptionsValidator>();
        services.TryAddSingleton<NodeLeaseMetrics>();
        services.TryAddSingleton<NoticeRelay>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AgreeOnLeasePartitions>();

        services.AddOptions<SubjectRevocationOptions>()
            .Bind(configuration.GetSection(SubjectRevocationOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SubjectRevocationOptions>, SubjectRevocationOptionsValidator>();

        services.AddOptions<SweeperOptions>()
            .Bind(configuration.GetSection(SweeperOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SweeperOptions>, SweeperOptionsValidator>();
        services.TryAddSingleton<IExpiredRowStore, PostgresExpiredRowStore>();
        services.TryAddSingleton<IReceivedTokenStore, PostgresReceivedTokenStore>();
        services.TryAddSingleton<ISweepHistory, PostgresSweepHistory>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ScheduleSweeperOnSiloStart>();

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

        // Durable reminders (Storage/Migrations/0004_orleans_reminders.sql): the sweep reminder
        // outlives the silo that owned it; another silo takes over its hash range and fires it.
        silo.UseAdoNetReminderService((OptionsBuilder<AdoNetReminderTableOptions> reminders) =>
            reminders.Configure<IOptions<RegistryDatabaseOptions>>((adoNet, database) =>
            {
                adoNet.Invariant = RegistryDatabaseOptions.AdoNetInvariant;
                adoNet.ConnectionString = database.Value.ConnectionString;
            }));

        // Orleans' own reminder settings (MinimumReminderPeriod: 1 minute), from the Reminders section.
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection("Reminders"));

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RegistryMetrics>();
        services.TryAddSingleton<TokenActivationCap>();
        services.TryAddSingleton<SubjectActivationCap>();
        services.TryAddSingleton<SessionActivationCap>();
        services.TryAddSingleton(sp => RegistryDataSourceFactory.Create(sp.GetRequiredService<IOptions<RegistryDatabaseOptions>>().Value));
        services.TryAddSingleton<DatabaseConnector>();
        // The migrator alone may use the schema owner's connection (ConnectionStrings:RegistryMigrations);
        // everything else serves with ConnectionStrings:Registry (migration 0008's registry_silo).
        services.TryAddKeyedSingleton<NpgsqlDataSource>(SchemaMigrator.OwnerDataSourceKey, (sp, _) =>
            RegistryDataSourceFactory.Create(sp.GetRequiredService<IOptions<RegistryDatabaseOptions>>().Value.MigrationsConnectionString));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RegistryDatabaseOptions>>();
            var dataSource = options.Value.MigrationsConnectionString is null
                ? sp.GetRequiredService<NpgsqlDataSource>()
                : sp.GetRequiredKeyedService<NpgsqlDataSource>(SchemaMigrator.OwnerDataSourceKey);
            return new SchemaMigrator(
                new DatabaseConnector(dataSource, options, sp.GetRequiredService<ILogger<DatabaseConnector>>()),
                sp.GetRequiredService<ILogger<SchemaMigrator>>(),
                options.Value.LegacyIssuer);
        });
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DatabaseTransportWarning>();
        services.TryAddSingleton<LeasePartitionAgreement>();
        services.TryAddSingleton<IRevocationStore, PostgresRevocationStore>();
        services.TryAddSingleton<ISessionRevocationStore, PostgresSessionStore>();
        services.TryAddSingleton<ILegacySubjects, PostgresLegacySubjects>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MigrateOnSiloStart>();

        // Software rejuvenation (off unless Rejuvenation:MaxLifetime or :MemoryLimit is set).
        services.AddOptions<RejuvenationOptions>()
            .Bind(configuration.GetSection(RejuvenationOptions.SectionName))
            .ValidateOnStart();
        var clusterProvider = configuration.GetSection(RegistryClusterOptions.SectionName).Get<RegistryClusterOptions>()?.Provider ?? ClusterProvider.AdoNet;
        services.AddSingleton<IValidateOptions<RejuvenationOptions>>(new RejuvenationOptionsValidator(clusterProvider));
        services.TryAddSingleton<PostgresRecycleTurns>();
        services.TryAddSingleton<RejuvenationMetrics>();
        services.TryAddSingleton<SiloRecycler>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloRecycler>());
        return silo;
    }
}
