using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Revocation.Hosting;

namespace Revocation.Silo.Dashboard;

/// <summary>
/// The Orleans Dashboard (Microsoft.Orleans.Dashboard) on the silo, from the <c>Dashboard</c>
/// section: off by default; on, it is served on a port of its own (<see cref="DashboardPort"/>),
/// without its live log stream, and without profiling the check path unless asked to.
/// </summary>
public static class DashboardHosting
{
    /// <summary>
    /// Validates the <c>Dashboard</c> settings at start and, with <c>Dashboard:Enabled</c>, adds the
    /// dashboard's collection (its grains, silo service, profiler and log listener) to the silo.
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>Dashboard</c> value is not of its setting's type; the message names it.</exception>
    public static WebApplicationBuilder AddRegistryDashboard(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DashboardHostingOptions.SectionName);
        builder.Services.AddValidatedOptions<DashboardHostingOptions, DashboardHostingOptionsValidator>(section);

        DashboardHostingOptions settings;
        try
        {
            settings = section.Get<DashboardHostingOptions>() ?? new DashboardHostingOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(DashboardHostingOptions.SectionName, typeof(DashboardHostingOptions), [ex.Message]);
        }

        if (!settings.Enabled)
        {
            return builder;
        }

        // The same silo as the host's other UseOrleans call: Orleans applies each call to one silo.
        builder.UseOrleans(silo => silo.AddDashboard(dashboard =>
            // The live log stream would show every log line of the silo to whoever has the page open.
            dashboard.HideTrace = true));
        if (!settings.ProfileChecks)
        {
            DashboardCheckProfilingFilter.WrapProfiler(builder.Services);
        }

        return builder;
    }

    /// <summary>
    /// With <c>Dashboard:Enabled</c>, serves the dashboard's page and data at the root of
    /// <c>Dashboard:Url</c>, and only there.
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>Dashboard</c> setting is invalid; the message names it.</exception>
    public static WebApplication MapRegistryDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DashboardHostingOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        DashboardPort.Bind(app, options.Url);
        // The options instance marks the dashboard's endpoints: no other endpoint carries it.
        DashboardPort.Separate(app, DashboardPort.TryParse(options.Url)!.Port, endpoint => endpoint?.Metadata.GetMetadata<DashboardHostingOptions>() is not null);
        app.MapOrleansDashboard().WithMetadata(options);
        return app;
    }
}
