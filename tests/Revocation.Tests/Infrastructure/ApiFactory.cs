using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Revocation.Silo.Hosting;

namespace Revocation.Tests.Infrastructure;

/// <summary>
/// The API node in process (Kestrel), its real Orleans client pointed at <see cref="TestSilos"/>, validating
/// tokens with <see cref="TestTokens"/>' keys. Every log line is kept in <see cref="Logs"/>.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly TestSilos silos;
    private readonly TestTokens tokens;
    private readonly IDictionary<string, string?>? overrides;
    private readonly Action<IServiceCollection>? services;

    /// <summary>Served by real Kestrel on a free loopback port: real HTTP parsing and limits, as in production.</summary>
    /// <param name="services">Replaces services after the node's own registrations (settings that have no configuration key).</param>
    public ApiFactory(TestSilos silos, TestTokens tokens, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        this.silos = silos;
        this.tokens = tokens;
        this.overrides = overrides;
        this.services = services;
        UseKestrel(0);
    }

    public const string ClientId = "client-a";
    public const string ClientSecret = "secret a+b:c"; // characters that need form-encoding in Basic auth

    public LogSink Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Jwt:Issuer"] = TestTokens.Issuer,
                ["Jwt:Audience"] = TestTokens.Audience,
                ["Jwt:SigningKey"] = tokens.HmacKeyBase64,
                ["Jwt:PublicKeys:0"] = tokens.RsaPublicPem,
                ["Jwt:PublicKeys:1"] = tokens.EcPublicPem,
                ["Issuer:Enabled"] = "true",
                ["OAuth:Clients:0:ClientId"] = ClientId,
                ["OAuth:Clients:0:ClientSecret"] = ClientSecret,
                ["Registry:Clustering"] = silos.Provider == ClusterProvider.AdoNet ? "AdoNet" : "Localhost",
                ["ConnectionStrings:Registry"] = silos.ConnectionString,
                ["Registry:ClusterId"] = silos.ClusterId,
                ["Registry:ServiceId"] = TestSilos.ServiceId,
            };
            for (var i = 0; silos.Provider == ClusterProvider.Localhost && i < silos.GatewayPorts.Count; i++)
            {
                settings[$"Registry:GatewayPorts:{i}"] = silos.GatewayPorts[i].ToString(CultureInfo.InvariantCulture);
            }

            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            configuration.AddInMemoryCollection(settings);
        });
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
