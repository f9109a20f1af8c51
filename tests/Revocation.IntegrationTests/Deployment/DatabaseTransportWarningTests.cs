using Revocation.Silo.Clustering;
using System.Globalization;
using Npgsql;
using Revocation.Silo.Hosting;

namespace Revocation.IntegrationTests.Deployment;

/// <summary>
/// Outside Development, a silo and an API node warn at start about a connection string that reaches
/// a non-loopback database without required TLS (the host is TEST-NET-1: nothing answers there).
/// </summary>
public sealed class DatabaseTransportWarningTests
{
    private const string RemoteHost = "192.0.2.10";
    private const string Warning = "without required TLS";

    [Theory]
    [InlineData("ConnectionStrings:Registry", "", true)]
    [InlineData("ConnectionStrings:RegistryMigrations", "", true)]
    [InlineData("ConnectionStrings:Registry", ";SSL Mode=VerifyFull", false)]
    public async Task Silo_WarnsAtStart_AboutARemoteDatabaseWithoutTls(string setting, string tls, bool warns)
    {
        var logs = new LogSink();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Registry"] = "Host=127.0.0.1;Port=1;Database=registry;Username=registry_silo_login",
            ["Cluster:Provider"] = "Localhost",
            ["Cluster:SiloPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Database:StartupTimeout"] = "00:00:01",
        };
        settings[setting] = $"Host={RemoteHost};Database=registry;Username=registry{tls}";
        foreach (var (key, value) in TestCertificates.SiloSettings)
        {
            settings[key] = value; // outside Development a silo needs its cluster certificate first
        }

        using var host = TestSilos.Build(settings, clock: null, logs);

        // Nothing answers on either host: the start fails once the migration gives up, after the check.
        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        AssertWarned(logs.Lines, warns ? setting : null);
    }

    // The node's start completes only once its Orleans client reached a gateway, so the gateway list
    // must be readable: with AdoNet clustering the connection string lists the test server first
    // (Npgsql uses it) and the remote host second (what the check sees). Whether VerifyFull
    // silences the warning is DatabaseTransportTests' part.
    [Theory]
    [InlineData("Testing", ClusterProvider.AdoNet, "Grain", "ConnectionStrings:Registry")]
    [InlineData("Development", ClusterProvider.AdoNet, "Grain", null)]
    [InlineData("Testing", ClusterProvider.Localhost, "Database", "RevocationCheck:Database:ConnectionString")]
    [InlineData("Testing", ClusterProvider.Localhost, "Grain", null)]
    public async Task ApiNode_WarnsAtStart_AboutEachRemoteDatabaseItUsesWithoutTls(string environment, ClusterProvider clustering, string mode, string? warned)
    {
        await using var silos = await TestSilos.StartAsync(1, "dbtls", clustering);
        using var tokens = new TestTokens();
        var test = new NpgsqlConnectionStringBuilder(silos.ConnectionString);
        var remote = new NpgsqlConnectionStringBuilder(silos.ConnectionString) { Host = $"{test.Host},{RemoteHost}" }.ConnectionString;
        await using var node = new ApiFactory(silos, tokens, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Registry"] = remote,
            ["RevocationCheck:Mode"] = mode,
            ["RevocationCheck:Database:ConnectionString"] = mode == "Database" ? $"Host={RemoteHost};Database=registry;Username=registry_api_login" : null,
        }, environment: environment);
        using var http = node.CreateClient(); // starts the node

        AssertWarned(node.Logs.Lines, warned);
    }

    /// <summary>One warning naming <paramref name="setting"/>, the remote host and the SSL mode, and not the connection string; none when null.</summary>
    private static void AssertWarned(IEnumerable<string> lines, string? setting)
    {
        var warnings = lines.Where(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains(Warning, StringComparison.Ordinal)).ToList();
        if (setting is null)
        {
            Assert.Empty(warnings);
            return;
        }

        var warning = Assert.Single(warnings);
        Assert.Contains($"{setting} reaches the database at {RemoteHost} without required TLS (SSL Mode=Prefer)", warning);
        Assert.DoesNotContain("Username=", warning);
    }
}
