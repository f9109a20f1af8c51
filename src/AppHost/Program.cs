using Microsoft.Extensions.DependencyInjection;
using Revocation.AppHost;

// The registry on this machine, as scripts/cluster.sh starts it but under Aspire: its dashboard
// (http://127.0.0.1:18888 with `dotnet run --project src/AppHost`) shows every process's state,
// logs, traces and metrics. Development settings throughout (the development issuer, no cluster
// TLS): a workbench, not a deployment (docs/deploy.md).
var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);
var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
var clusterId = $"aspire-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";

// PostgreSQL from Debian's package, run by the repository's script in the foreground (no image
// can be pulled here); its data dir stays between runs unless AppHost:PostgresDir says otherwise.
builder.Services.AddHealthChecks().AddCheck("postgres-ready", new PostgresReady(settings.ConnectionString));
var postgres = builder.AddExecutable("postgres", "bash", repository, "scripts/postgres.sh", "run")
    .WithEnvironment("REGISTRY_PG_PORT", settings.PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WithHealthCheck("postgres-ready");
if (settings.PostgresDir is { } dir)
{
    postgres.WithEnvironment("REGISTRY_PG_DIR", dir);
}

var migrate = builder.AddRegistryProgram<Projects.Revocation_Silo>("migrate", "migrate")
    .WithEnvironment("ConnectionStrings__Registry", settings.ConnectionString)
    .WaitFor(postgres);

for (var i = 0; i < settings.Silos; i++)
{
    builder.AddRegistryProgram<Projects.Revocation_Silo>($"silo-{i}")
        .WithDevelopmentNode(settings, clusterId)
        .WithEnvironment("Database__MigrateOnStart", "false")
        .WithEnvironment("Cluster__Provider", "AdoNet")
        .WithEnvironment("Cluster__AdvertisedAddress", "127.0.0.1")
        .WithEnvironment("Cluster__SiloPort", Port(settings.SiloPort(i)))
        .WithEnvironment("Cluster__GatewayPort", Port(settings.GatewayPort(i)))
        .WithEnvironment("Dashboard__Url", "http://127.0.0.1:" + Port(settings.DashboardPort(i)))
        .WithListeningUrl(settings.SiloHttpPort(i))
        .WithHttpHealthCheck("/health/ready")
        .WaitForCompletion(migrate);
}

for (var j = 0; j < settings.ApiNodes; j++)
{
    builder.AddRegistryProgram<Projects.Revocation_Api>($"api-{j}")
        .WithDevelopmentNode(settings, clusterId)
        .WithEnvironment("Registry__Clustering", "AdoNet")
        .WithListeningUrl(settings.ApiPort(j))
        .WithHttpHealthCheck("/health/ready")
        .WaitForCompletion(migrate);
}

builder.Build().Run();

static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
