using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Silo.Hosting;
using Revocation.Silo.Storage;

// `Revocation.Silo migrate` applies pending migrations and exits; no argument runs the silo.
var migrateOnly = args is ["migrate", ..];
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = migrateOnly ? args[1..] : args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
builder.UseOrleans(silo => silo
    .UseLocalRegistryClustering(builder.Configuration)
    .AddRevocationRegistry(builder.Configuration));

try
{
    using var host = builder.Build();
    if (migrateOnly)
    {
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return 0;
    }

    await host.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.Describe(ex) is { } message)
{
    await Console.Error.WriteLineAsync($"Revocation.Silo: {message}");
    return 1;
}
