using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Hosting;
using Revocation.Silo.Clustering;
using Revocation.Silo.Dashboard;
using Revocation.Silo.Hosting;
using Revocation.Silo.Rejuvenation;
using Revocation.Silo.Storage;

// `Revocation.Silo health [url]`: the image's health check (no curl in the image).
if (args is [HealthProbe.Command, ..])
{
    return await HealthProbe.RunAsync(args[1..], Console.Error);
}

// `Revocation.Silo migrate` applies pending migrations and exits; no argument runs the silo.
var migrateOnly = args is ["migrate", ..];
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = migrateOnly ? args[1..] : args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
    builder.UseOrleans(silo => silo
        .UseRegistryClustering(builder.Configuration)
        .UseKubernetesHostingWhenEnabled(builder.Configuration)
        .AddRevocationRegistry(builder.Configuration));
    builder.AddSiloEndpoints();
    builder.AddRegistryDashboard();

    await using var app = builder.Build();
    if (migrateOnly)
    {
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return 0;
    }

    app.MapSiloEndpoints();
    app.MapRegistryDashboard();
    // Resolved before the run: RunAsync disposes the services when the host has stopped.
    var recycler = app.Services.GetRequiredService<SiloRecycler>();
    await app.RunAsync();

    // A silo that recycled itself stopped like on SIGTERM; the distinct status tells its
    // supervisor to start it again (and tells nothing else to).
    return recycler.ExitCode;
}
catch (Exception ex) when (StartupErrors.Describe(ex) is { } message)
{
    await Console.Error.WriteLineAsync($"Revocation.Silo: {message}");
    return 1;
}

/// <summary>The silo entry point; internal so that only the API node's Program is visible to WebApplicationFactory.</summary>
internal partial class Program;
