using Microsoft.Extensions.Options;
using Revocation.Api.CheckModes;
using Revocation.AspNetCore;
using Revocation.Hosting;

namespace Revocation.Api.Hosting;

/// <summary>
/// Outside Development, warns at start about each connection string this node uses that reaches a
/// non-loopback database without required TLS: <c>ConnectionStrings:Registry</c> for the gateway list
/// (<c>Registry:Clustering=AdoNet</c>) and <c>RevocationCheck:Database:ConnectionString</c> in the
/// <c>Database</c> and <c>LocalCache</c> check modes. Its password and the rows read would cross
/// the network in clear.
/// </summary>
internal sealed class DatabaseTransportWarning(
    IOptions<RegistryClientOptions> registry,
    IOptions<CheckModeOptions> check,
    IHostEnvironment environment,
    ILogger<DatabaseTransportWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            return Task.CompletedTask;
        }

        if (registry.Value.Clustering == RegistryClustering.AdoNet)
        {
            DatabaseTransport.WarnWithoutTls(logger, "ConnectionStrings:Registry", registry.Value.ConnectionString);
        }

        var checkOptions = check.Value;
        if (checkOptions.Mode is CheckMode.Database or CheckMode.LocalCache
            && (registry.Value.Clustering != RegistryClustering.AdoNet || checkOptions.Database.ConnectionString != registry.Value.ConnectionString))
        {
            DatabaseTransport.WarnWithoutTls(logger, $"{CheckModeOptions.SectionName}:{nameof(CheckModeOptions.Database)}:{nameof(DatabaseCheckOptions.ConnectionString)}", checkOptions.Database.ConnectionString);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
