using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Revocation.AspNetCore;
using Revocation.AspNetCore.Lookups;
using Revocation.Hosting;

namespace Revocation.Api.CheckModes;

public static class CheckModeExtensions
{
    /// <summary>
    /// <c>RevocationCheck:Mode</c> on this host (after <c>AddRevocationCheck</c>): Grain keeps the
    /// package's lookup; Database and LocalCache answer checks from <c>revoked_tokens</c> instead, and
    /// the package then asks neither the grains nor the leases and checks no subject or session.
    /// </summary>
    public static IServiceCollection AddCheckModes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CheckModeOptions, CheckModeOptionsValidator>(configuration.GetSection(CheckModeOptions.SectionName))
            .Configure(o => o.Database.ConnectionString ??= configuration.GetConnectionString(RevocationCheckExtensions.RegistryConnectionStringName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationCheckOptions>, CheckSubjectNeedsGrainValidator>());
        services.AddOptions<RevocationCheckOptions>()
            .PostConfigure<IOptions<CheckModeOptions>>((check, modes) => check.AsksRegistry = modes.Value.Mode == CheckMode.Grain);

        services.AddSingleton<CheckModeMetrics>();
        services.AddSingleton<CheckDataSource>();
        services.AddSingleton<DatabaseLookup>();
        services.AddSingleton<CachedDatabaseLookup>();
        services.Replace(ServiceDescriptor.Singleton<IRevocationLookup>(sp => sp.GetRequiredService<IOptions<CheckModeOptions>>().Value.Mode switch
        {
            CheckMode.Database => sp.GetRequiredService<DatabaseLookup>(),
            CheckMode.LocalCache => sp.GetRequiredService<CachedDatabaseLookup>(),
            _ => RevocationCheckExtensions.RegistryLookup(sp),
        }));
        services.AddHostedService<CheckModeReloadWatch>();
        return services;
    }
}
