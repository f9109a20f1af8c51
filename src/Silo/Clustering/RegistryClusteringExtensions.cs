using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Revocation.ClusterIdentity;
using Revocation.Silo.Storage;

namespace Revocation.Silo.Clustering;

public static class RegistryClusteringExtensions
{
    /// <summary>
    /// Clustering from the <c>Cluster</c> section: ADO.NET membership in the registry database
    /// (tables: Storage/Migrations/0003_orleans_clustering.sql) or localhost clustering for
    /// development; the failure-detection defaults of <see cref="FailureDetection"/>, overridable
    /// from <c>Cluster:Membership</c> (any <see cref="ClusterMembershipOptions"/> property); the
    /// grain directory of <c>Cluster:GrainDirectory</c> with its range lease from
    /// <c>GrainDirectory:RangeLeaseDuration</c>; mutual TLS on every Orleans connection from
    /// <c>ClusterTls</c> (required outside Development).
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>Cluster</c> setting is invalid; the message names it.</exception>
    public static ISiloBuilder UseRegistryClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        // Mutual TLS on the silo and gateway ports (ClusterTls); required outside Development.
        Revocation.ClusterTls.ClusterTlsHosting.ForSilo(silo.Services);

        var section = configuration.GetSection(RegistryClusterOptions.SectionName);
        var cluster = section.Get<RegistryClusterOptions>() ?? new RegistryClusterOptions();
        // Orleans:ClusterId and Orleans:ServiceId, as on the API nodes; Cluster:* are their earlier names.
        cluster.ClusterId = ClusterIdentitySettings.ClusterId(configuration, cluster.ClusterId);
        cluster.ServiceId = ClusterIdentitySettings.ServiceId(configuration, cluster.ServiceId);
        var validation = new RegistryClusterOptionsValidator().Validate(null, cluster);
        var failures = (validation.Failed ? validation.Failures : [])
            .Concat(ClusterIdentitySettings.Conflicts(configuration, RegistryClusterOptions.SectionName))
            .ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(RegistryClusterOptions.SectionName, typeof(RegistryClusterOptions), failures);
        }

        silo.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<EarlierClusterIdentityNames>(sp, RegistryClusterOptions.SectionName));

        if (cluster.Provider == ClusterProvider.Localhost)
        {
            var primary = cluster.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
        }
        else
        {
            var advertised = string.IsNullOrWhiteSpace(cluster.AdvertisedAddress) ? null : Resolve(cluster.AdvertisedAddress);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = cluster.SiloPort;
                o.GatewayPort = cluster.GatewayPort;
                if (advertised is not null)
                {
                    // Null leaves Orleans to pick this host's first IPv4 address.
                    o.AdvertisedIPAddress = advertised;
                }
            });
            silo.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringSiloOptions> membership) =>
                membership.Configure<IOptions<RegistryDatabaseOptions>>((adoNet, database) =>
                {
                    adoNet.Invariant = RegistryDatabaseOptions.AdoNetInvariant;
                    adoNet.ConnectionString = database.Value.ConnectionString;
                }));
        }

        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(FailureDetection.Apply)
            .Bind(section.GetSection("Membership"));

        if (cluster.GrainDirectory == GrainDirectoryKind.Distributed)
        {
            // Experimental in Orleans 10.4.2 (ORLEANSEXP003: its API may still change). It is the
            // directory that keeps one activation per grain among the members through membership
            // changes, which the token grain's and the lease grain's answers rely on.
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }

        // Bound here as well as in AddRevocationRegistry, so that the setting wins over this default
        // whichever of the two a host calls first.
        silo.Services.AddOptions<GrainDirectoryOptions>()
            .Configure(FailureDetection.Apply)
            .Bind(configuration.GetSection(GrainDirectoryOptionsValidator.SectionName))
            .ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<GrainDirectoryOptions>, GrainDirectoryOptionsValidator>();
        return silo;
    }

    private static IPAddress Resolve(string address)
    {
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip;
        }

        const string Setting = $"{RegistryClusterOptions.SectionName}:{nameof(RegistryClusterOptions.AdvertisedAddress)}";
        try
        {
            return Dns.GetHostAddresses(address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new OptionsValidationException(Setting, typeof(RegistryClusterOptions), [$"{Setting}: host '{address}' has no IPv4 address."]);
        }
        catch (SocketException ex)
        {
            throw new OptionsValidationException(Setting, typeof(RegistryClusterOptions), [$"{Setting}: host '{address}' does not resolve ({ex.Message})."]);
        }
    }
}
