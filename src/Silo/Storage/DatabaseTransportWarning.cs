using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Revocation.Hosting;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Storage;

/// <summary>
/// Outside Development, warns at start (in the silo lifecycle's first stage, alongside the
/// migrations) about each connection string that reaches a non-loopback database without required
/// TLS: its password and every row would cross the network in clear, open to anyone on the path.
/// A warning, not a refusal: a database on a private link the operator trusts is a valid choice.
/// </summary>
internal sealed class DatabaseTransportWarning(
    IOptions<RegistryDatabaseOptions> options, IHostEnvironment environment, ILogger<DatabaseTransportWarning> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (!environment.IsDevelopment())
        {
            lifecycle.Subscribe(nameof(DatabaseTransportWarning), ServiceLifecycleStage.First, _ =>
            {
                DatabaseTransport.WarnWithoutTls(logger, $"ConnectionStrings:{RegistryDatabaseOptions.ConnectionStringName}", options.Value.ConnectionString);
                DatabaseTransport.WarnWithoutTls(logger, $"ConnectionStrings:{RegistryDatabaseOptions.MigrationsConnectionStringName}", options.Value.MigrationsConnectionString);
                return Task.CompletedTask;
            });
        }
    }
}
