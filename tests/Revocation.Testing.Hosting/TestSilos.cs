using Revocation.Silo.Clustering;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using Revocation.Abstractions;
using Revocation.Silo.Hosting;

namespace Revocation.Testing.Hosting;

/// <summary>
/// Real silos in this process, wired exactly like the silo executable (localhost clustering over
/// TCP on free ports, the PostgreSQL store), so that an API node's real Orleans client can reach them.
/// </summary>
public sealed class TestSilos : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    private TestSilos(string connectionString, string clusterId)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public const string ServiceId = "revocation-registry-tests";

    public List<int> GatewayPorts { get; } = [];

    /// <summary>Each silo's <c>/health</c> and <c>/metrics</c>, when started with <c>http</c>.</summary>
    public List<Uri> HttpEndpoints { get; } = [];

    /// <summary>
    /// What the silos logged: the silo executable's levels (Information; Orleans and Microsoft from
    /// Warning), the registry's own code from Debug.
    /// </summary>
    public LogSink Logs { get; } = new();

    /// <summary>Grain calls made from inside the first silo.</summary>
    public IGrainFactory Grains => _hosts[0].Services.GetRequiredService<IGrainFactory>();

    public ClusterProvider Provider { get; private init; }

    /// <summary>The services of silo <paramref name="index"/> (its meter factory, options, caps).</summary>
    public IServiceProvider SiloServices(int index) => _hosts[index].Services;

    /// <param name="http">Also serve each silo's health and metrics endpoints, as the silo executable does.</param>
    /// <param name="settings">Silo settings over the defaults (e.g. <c>NodeLeases:LeaseDuration</c>).</param>
    /// <param name="clock">The clock the silos' registry code reads (<see cref="TestClock"/>); when <c>null</c>, real time on a just-booted host's monotonic clock (<see cref="JustBootedClock"/>).</param>
    public static async Task<TestSilos> StartAsync(
        int count,
        string purpose,
        ClusterProvider provider = ClusterProvider.Localhost,
        bool http = false,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? clock = null) =>
        await StartOnAsync(count, await TestPostgres.CreateDatabaseAsync(purpose), provider, http, settings, clock);

    /// <summary>
    /// Silos on an existing database: what a restarted cluster sees. Localhost clustering joins them
    /// through the first silo; AdoNet through the membership table, as deployed.
    /// </summary>
    /// <param name="settings">Silo settings over the defaults (e.g. <c>NodeLeases:LeaseDuration</c>).</param>
    /// <param name="clock">The clock the silos' registry code reads (<see cref="TestClock"/>); when <c>null</c>, real time on a just-booted host's monotonic clock (<see cref="JustBootedClock"/>).</param>
    public static async Task<TestSilos> StartOnAsync(
        int count,
        string connectionString,
        ClusterProvider provider = ClusterProvider.Localhost,
        bool http = false,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? clock = null)
    {
        var silos = new TestSilos(connectionString, $"test-{Guid.NewGuid():N}") { Provider = provider };
        int? primaryPort = null;
        for (var i = 0; i < count; i++)
        {
            var siloPort = TestPorts.Free();
            var gatewayPort = TestPorts.Free();
            var siloSettings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Registry"] = silos.ConnectionString,
                ["Cluster:Provider"] = provider.ToString(),
                ["Cluster:AdvertisedAddress"] = "127.0.0.1",
                ["Orleans:ClusterId"] = silos.ClusterId,
                ["Orleans:ServiceId"] = ServiceId,
                ["Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Cluster:PrimarySiloPort"] = provider == ClusterProvider.Localhost ? primaryPort?.ToString(CultureInfo.InvariantCulture) : null,
                ["Sweeper:DueTime"] = "01:00:00", // tests decide when these databases are swept
                // 3 s for a statement instead of the 1 s default: the shared PostgreSQL serves every
                // test class running meanwhile on the same cores, and a token grain's first read
                // outlasted 1 s twice in a row there (an API node's check asks once more after a
                // storage failure): the check answered 503 in 2 s, well inside its 5 s. Tests of the
                // timeout itself set it (MetricsNode) or use the default (HungDatabaseCluster).
                ["Database:CommandTimeout"] = "00:00:03",
            };
            foreach (var (key, value) in TestCertificates.SiloSettings)
            {
                siloSettings[key] = value; // mutual TLS, as outside Development
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                siloSettings[key] = value;
            }

            var host = http ? BuildWithHttp(siloSettings, silos.HttpEndpoints, clock, silos.Logs) : Build(siloSettings, clock, silos.Logs);
            try
            {
                await host.StartAsync();
            }
            catch (TimeoutException ex)
            {
                // A grain call that timed out while the silo started: what the silo logged meanwhile
                // is the only clue such a rare failure leaves (a failed setting's own message is enough).
                var failure = new TimeoutException(
                    $"silo {i} of {count} did not start: {ex.Message}\nits last log lines:\n{string.Join('\n', silos.Logs.Lines.TakeLast(40))}", ex);
                try
                {
                    host.Dispose();
                    await silos.DisposeAsync();
                }
                catch (Exception cleanup)
                {
                    throw new AggregateException(failure, cleanup);
                }

                throw failure;
            }

            silos._hosts.Add(host);
            silos.GatewayPorts.Add(gatewayPort);
            primaryPort ??= siloPort;
        }

        return silos;
    }

    /// <summary>
    /// Waits out the lease grain's start: right after it activates, a revocation waits one lease for
    /// leases an earlier activation might have granted. Tests with a short call timeout start after it.
    /// </summary>
    public Task PassLeaseStartAsync() =>
        Grains.GetGrain<Revocation.Grains.Leases.INodeLeaseNotifications>(INodeLeaseGrain.Key).NotifyAsync(RevocationNotice.Token(TestTokens.Issuer, $"warm-up-{Guid.NewGuid():N}", DateTimeOffset.UtcNow));

    /// <summary>A silo host wired like the executable (without its HTTP side), not started.</summary>
    public static IHost Build(Dictionary<string, string?> settings, TimeProvider? clock, LogSink logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        KeepLogs(builder.Logging, logs);
        builder.UseOrleans(silo => silo
            .UseRegistryClustering(builder.Configuration)
            .AddRevocationRegistry(builder.Configuration));
        builder.Services.UseTestClock(clock);
        return builder.Build();
    }

    /// <summary>The silo executable's host (Program.cs): Orleans plus its HTTP side on a free loopback port.</summary>
    private static WebApplication BuildWithHttp(Dictionary<string, string?> settings, List<Uri> endpoints, TimeProvider? clock, LogSink logs)
    {
        var url = new Uri($"http://127.0.0.1:{TestPorts.Free()}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        KeepLogs(builder.Logging, logs);
        builder.UseOrleans(silo => silo
            .UseRegistryClustering(builder.Configuration)
            .AddRevocationRegistry(builder.Configuration));
        builder.AddSiloEndpoints();
        builder.Services.UseTestClock(clock);
        builder.Services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0); // tests compare scrapes taken moments apart
        var app = builder.Build();
        app.MapSiloEndpoints();
        endpoints.Add(url);
        return app;
    }

    private static void KeepLogs(ILoggingBuilder logging, LogSink logs) => logging
        .AddProvider(logs)
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Orleans", LogLevel.Warning)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Revocation", LogLevel.Debug);

    /// <summary>Stops every silo: the registry becomes unreachable.</summary>
    public async Task StopAllAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    public Task<long> RowCountAsync() =>
        TestPostgres.ScalarAsync<long>(ConnectionString, "SELECT count(*) FROM revoked_tokens");

    public Task<long> RowCountAsync(string jti) =>
        TestPostgres.ScalarAsync<long>(ConnectionString, "SELECT count(*) FROM revoked_tokens WHERE jti = $1", jti);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            try
            {
                await host.StopAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
            }

            host.Dispose();
        }

        // Orleans' ADO.NET providers pool by connection string, outside the hosts: close this
        // database's idle connections now rather than when they are pruned.
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        Npgsql.NpgsqlConnection.ClearPool(connection);
    }
}
