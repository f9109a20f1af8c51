using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Revocation.AspNetCore.IssuerClocks;
using Revocation.AspNetCore.Lookups;
using Revocation.AspNetCore.NearCache;

namespace Revocation.AspNetCore;

public static class RevocationCheckExtensions
{
    /// <summary>
    /// The connection string (<c>ConnectionStrings:Registry</c>) <c>AddRevocationRegistryClient</c> reads
    /// the silos' gateways from (the membership table) unless <c>Registry:ConnectionString</c> is set.
    /// </summary>
    public const string RegistryConnectionStringName = "Registry";

    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> the check's instruments are on
    /// (<c>revocation_*</c>, docs/monitoring.md): add it to the application's metrics exporter, e.g.
    /// OpenTelemetry's <c>AddMeter(RevocationCheckExtensions.MeterName)</c>.
    /// </summary>
    public const string MeterName = "Revocation.Api";

    /// <summary>
    /// Adds the revocation check to a JwtBearer scheme: every token that passed validation is
    /// checked against the registry (an <see cref="IGrainFactory"/> must be registered, e.g. by
    /// <c>AddRevocationRegistryClient</c> or <c>UseOrleansClient</c>). Revoked → 401 with <c>error="invalid_token"</c>,
    /// <c>error_description="The token has been revoked"</c>; registry unavailable → 503
    /// (or accepted, with <see cref="RevocationFailurePolicy.FailOpen"/>). Settings come from the
    /// <c>RevocationCheck</c> configuration section, then <paramref name="configure"/>.
    /// The check runs inside the scheme's handler, after the application's own <c>OnTokenValidated</c>,
    /// whatever events the application sets (also with <c>EventsType</c>, or an
    /// <c>OnTokenValidated</c> that calls <c>Success()</c>); the application start fails when
    /// <paramref name="authenticationScheme"/> is not a JwtBearer scheme.
    /// </summary>
    public static AuthenticationBuilder AddRevocationCheck(
        this AuthenticationBuilder builder,
        string authenticationScheme = JwtBearerDefaults.AuthenticationScheme,
        Action<RevocationCheckOptions>? configure = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<RevocationCheckOptions>().BindConfiguration(RevocationCheckOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationCheckOptions>, RevocationCheckOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<RevocationMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IssuerClockOptions>();
        services.TryAddSingleton<IssuerClockOffsets>();
        services.TryAddSingleton(sp => new RevocationChecker(
            sp.GetRequiredService<IRevocationLookup>(),
            sp.GetRequiredService<RevocationCheckSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RevocationMetrics>(),
            sp.GetRequiredService<ILogger<RevocationChecker>>(),
            sp.GetRequiredService<IssuerClockOffsets>()));
        if (!services.Any(d => d.ServiceType == typeof(RevocationCheckSettings)))
        {
            services.AddSingleton<RevocationCheckSettings>();
            services.AddHostedService(sp => sp.GetRequiredService<RevocationCheckSettings>());
        }

        AddLookups(services);

        // The check lives in the scheme's handler, not in the application's events, so that no
        // event configuration can skip it; a scheme served by another handler stops the start.
        services.TryAddTransient<RevocationCheckingJwtBearerHandler>();
        services.AddOptions<AuthenticationOptions>()
            .PostConfigure(authentication => UseCheckingHandler(authentication, authenticationScheme))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthenticationOptions>>(new RevocationCheckSchemeValidator(authenticationScheme));
        return builder;
    }

    private static void UseCheckingHandler(AuthenticationOptions authentication, string scheme)
    {
        if (authentication.SchemeMap.TryGetValue(scheme, out var builder) && builder.HandlerType == typeof(JwtBearerHandler))
        {
            builder.HandlerType = typeof(RevocationCheckingJwtBearerHandler);
        }
    }

    /// <summary>
    /// The lookup, picked when first needed (after configuration is final) from the settings the
    /// node started with: a reload does not switch it.
    /// </summary>
    private static void AddLookups(IServiceCollection services)
    {
        services.TryAddSingleton<GrainQuestions>();
        services.TryAddSingleton<GrainLookup>();
        services.TryAddSingleton<NearCacheLookup>();
        services.TryAddSingleton<NearCacheMetrics>();
        services.TryAddSingleton(sp => new NearCacheState(
            sp.GetRequiredService<RevocationCheckSettings>().Current.NearCache.SizeLimit, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<NodeLease>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeLease>());
        services.TryAddSingleton(RegistryLookup);
    }

    /// <summary>
    /// The registry's own lookup: the near cache, or every check asked of the grains when it is
    /// disabled. (The registry's API host puts its comparison modes in front of this.)
    /// </summary>
    internal static IRevocationLookup RegistryLookup(IServiceProvider services) =>
        services.GetRequiredService<RevocationCheckSettings>().Current.UsesNearCache
            ? services.GetRequiredService<NearCacheLookup>()
            : services.GetRequiredService<GrainLookup>();
}
