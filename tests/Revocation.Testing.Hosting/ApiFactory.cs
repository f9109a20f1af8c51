using Revocation.Silo.Clustering;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Revocation.Silo.Hosting;

namespace Revocation.Testing.Hosting;

/// <summary>
/// The API node in process (Kestrel), its real Orleans client pointed at <see cref="TestSilos"/>, validating
/// tokens with <see cref="TestTokens"/>' keys. Every log line is kept in <see cref="Logs"/>.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly TestSilos silos;
    private readonly TestTokens tokens;
    private readonly IDictionary<string, string?>? overrides;
    private readonly string environment;
    private readonly Action<IServiceCollection>? services;
    private readonly IConfigurationSource? reloadable;

    /// <summary>
    /// Served by real Kestrel on a free loopback port: real HTTP parsing and limits, as in production.
    /// Not in Development unless <paramref name="environment"/> says so; metrics and OpenAPI are on
    /// <see cref="ManagementPort"/> (an override of <c>Management:Url</c> to <c>null</c> removes it).
    /// </summary>
    /// <param name="services">Replaces services after the node's own registrations (settings that have no configuration key).</param>
    /// <param name="reloadable">A configuration source added last (e.g. <see cref="ReloadableConfiguration"/>: settings changed at run time).</param>
    public ApiFactory(
        TestSilos silos,
        TestTokens tokens,
        IDictionary<string, string?>? overrides = null,
        string environment = "Testing",
        Action<IServiceCollection>? services = null,
        IConfigurationSource? reloadable = null)
    {
        this.silos = silos;
        this.tokens = tokens;
        this.overrides = overrides;
        this.environment = environment;
        this.services = services;
        this.reloadable = reloadable;
        var management = !(overrides?.TryGetValue("Management:Url", out var url) == true && url is null);
        // Kestrel endpoints set in code replace the URL list the node would add its management
        // URL to (the process test covers that path), so the management port is listened on here.
        // The factory's clients talk to the last address Kestrel lists: the API port goes last.
        UseKestrel(kestrel =>
        {
            if (management)
            {
                kestrel.Listen(IPAddress.Loopback, ManagementPort);
            }

            // Cleartext HTTP/2 only, as Envoy's gRPC ext_authz calls it (docs/gateways.md, "Envoy").
            kestrel.Listen(IPAddress.Loopback, GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0);
        });
    }

    /// <summary>The loopback port that speaks cleartext HTTP/2 only: Envoy's gRPC ext_authz (<see cref="EnvoyExtAuthz"/>).</summary>
    public int GrpcPort { get; } = TestPorts.Free();

    /// <summary>The loopback port of <c>Management:Url</c>: metrics and OpenAPI; overrides may name another.</summary>
    public int ManagementPort { get; } = TestPorts.Free();

    /// <summary>A client of the management port (the node is started first if it is not running).</summary>
    public HttpClient CreateManagementClient()
    {
        StartServer();
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}") };
    }

    public LogSink Logs { get; } = new();

    /// <summary>
    /// The node's fail-closed lines (a check that could not reach the registry, with the exception
    /// it met), the last <paramref name="most"/>: for the message of a test that got a 503 it did not expect.
    /// </summary>
    public string CheckFailuresLogged(int most = 4)
    {
        var lines = Logs.Lines.Where(line => line.Contains("Registry unavailable checking token", StringComparison.Ordinal))
            .Select(line => line.Length > 1500 ? line[..1500] : line)
            .TakeLast(most)
            .ToList();
        return lines.Count == 0 ? "no failed check logged by the API node" : string.Join('\n', lines);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration(configuration =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Jwt:Issuer"] = TestTokens.Issuer,
                ["Jwt:Audience"] = TestTokens.Audience,
                ["Jwt:SigningKey"] = tokens.HmacKeyBase64,
                ["Jwt:PublicKeys:0"] = tokens.RsaPublicPem,
                ["Jwt:PublicKeys:1"] = tokens.EcPublicPem,
                ["OAuth:Clients:0:ClientId"] = OAuthTestClients.ClientId,
                ["OAuth:Clients:0:ClientSecret"] = OAuthTestClients.ClientSecret,
                ["OAuth:Clients:1:ClientId"] = OAuthTestClients.OtherClientId,
                ["OAuth:Clients:1:ClientSecret"] = OAuthTestClients.OtherClientSecret,
                // Tests fire OAuth requests, failed authentications included, back to back from one
                // address: the limits are OAuthRateLimitTests' subject, not every test's hazard.
                ["OAuth:RateLimit:ClientPermitLimit"] = "1000000",
                ["OAuth:RateLimit:AddressPermitLimit"] = "1000000",
                ["Registry:Clustering"] = silos.Provider == ClusterProvider.AdoNet ? "AdoNet" : "Localhost",
                ["ConnectionStrings:Registry"] = silos.ConnectionString,
                ["Orleans:ClusterId"] = silos.ClusterId,
                ["Orleans:ServiceId"] = TestSilos.ServiceId,
                ["Management:Url"] = $"http://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}",
                // The silos share the test process and its cores with every other test class that
                // runs meanwhile: a cold check (a grain activation and its read) has taken more
                // than the 2 s default on a slow CI machine and answered 503. The timeout's own
                // behaviour is tested with it set (RegistryDownTests).
                ["RevocationCheck:Timeout"] = "00:00:05",
            };
            foreach (var (key, value) in TestCertificates.ClientSettings)
            {
                settings[key] = value; // mutual TLS to the silos' gateways, as outside Development
            }

            for (var i = 0; silos.Provider == ClusterProvider.Localhost && i < silos.GatewayPorts.Count; i++)
            {
                settings[$"Registry:GatewayPorts:{i}"] = silos.GatewayPorts[i].ToString(CultureInfo.InvariantCulture);
            }

            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            configuration.AddInMemoryCollection(settings);
            if (reloadable is not null)
            {
                configuration.Add(reloadable);
            }
        });
        // Real time on the monotonic clock of a host booted a moment ago, unless the test brings its own clock.
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new JustBootedClock()));
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
    }
}
