using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Revocation.Grains;
using Revocation.Hosting;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Sweeping;

public static class SweeperHosting
{
    /// <summary>
    /// The expired-row sweeper: its settings (validated at start), its store and history, and its
    /// reminder, durable in the registry database so that another silo fires it when its owner dies.
    /// </summary>
    public static ISiloBuilder AddSweeper(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddValidatedOptions<SweeperOptions, SweeperOptionsValidator>(configuration.GetSection(SweeperOptions.SectionName));
        services.TryAddSingleton<IExpiredRowStore, PostgresExpiredRowStore>();
        services.TryAddSingleton<ISweepHistory, PostgresSweepHistory>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ScheduleSweeperOnSiloStart>();

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
        return silo;
    }
}
