using Npgsql;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.OrleansTables;

/// <summary>
/// Migration 0003 against the contract of Orleans' ADO.NET clustering provider: every query key,
/// the column names it reads, and compare-and-swap on the table version.
/// </summary>
public sealed class MembershipQueriesTests : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;
    private NpgsqlDataSource _dataSource = null!;
    private OrleansQueries _queries = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await Databases.MigratedAsync("membership_queries");
        _queries = new OrleansQueries(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    public static TheoryData<string> ProviderKeys => new()
    {
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
    };

    [Theory]
    [MemberData(nameof(ProviderKeys))]
    public async Task Migrate_StoresEveryQueryTheClusteringProviderRequires(string key) =>
        Assert.False(string.IsNullOrWhiteSpace(await _queries.TextAsync(key)));

    [Fact]
    public async Task InsertVersion_Twice_InsertsOnce()
    {
        Assert.Equal(1, await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" }));
        Assert.Equal(0, await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" }));
    }

    [Fact]
    public async Task ReadAll_EmptyCluster_ReturnsTheVersionRowWithoutSilo()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });

        var row = Assert.Single(await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "c1" }));

        Assert.Equal(0, row["Version"]);
        Assert.Null(row["StartTime"]); // how the provider tells "no silo" apart
    }

    [Fact]
    public async Task Insert_TwoSilosAgainstTheSameVersion_ExactlyOneWins()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });

        var results = await Task.WhenAll(
            Task.Run(() => _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0))),
            Task.Run(() => _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 2, version: 0))));

        Assert.Equal(1, results.Sum());
        var rows = await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "c1" });
        var row = Assert.Single(rows);
        Assert.Equal(1, row["Version"]);
        Assert.Equal(results[0] == 1 ? 1 : 2, row["Port"]);
    }

    [Fact]
    public async Task Insert_StaleVersionOrSameSilo_WritesNothing()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });
        Assert.Equal(1, await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0)));

        Assert.Equal(0, await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 2, version: 0)));
        Assert.Equal(0, await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 1)));

        var row = Assert.Single(await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "c1" }));
        Assert.Equal(1, row["Version"]);
    }

    [Fact]
    public async Task Update_WritesOnlyAgainstTheCurrentVersion()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0));

        Assert.Equal(0, await _queries.ScalarAsync("UpdateMembershipKey", Update("c1", port: 1, Dead, version: 0)));
        Assert.Equal(1, await _queries.ScalarAsync("UpdateMembershipKey", Update("c1", port: 1, Dead, version: 1)));

        var row = Assert.Single(await _queries.ReadAsync("MembershipReadRowKey", new { DeploymentId = "c1", Address = "127.0.0.1", Port = 1, Generation = 7 }));
        Assert.Equal(Dead, row["Status"]);
        Assert.Equal("S127.0.0.1:2:1,2026-01-01 00:00:00.000 GMT", row["SuspectTimes"]);
        Assert.Equal(2, row["Version"]);
    }

    [Fact]
    public async Task Gateways_ListsActiveSilosOfThisClusterOnly()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "other" });
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0, proxyPort: 101));
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 2, version: 1, proxyPort: 102, status: Dead));
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 3, version: 2, proxyPort: 0));
        await _queries.ScalarAsync("InsertMembershipKey", Silo("other", port: 4, version: 0, proxyPort: 104));

        var gateways = await _queries.ReadAsync("GatewaysQueryKey", new { DeploymentId = "c1", Status = Active });

        var gateway = Assert.Single(gateways);
        Assert.Equal(101, gateway["ProxyPort"]);
        Assert.Equal("127.0.0.1", gateway["Address"]);
        Assert.Equal(7, gateway["Generation"]);
    }

    [Fact]
    public async Task IAmAlive_MovesTheHeartbeatWithoutTouchingTheVersion()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0));
        var later = new DateTime(2026, 1, 1, 0, 5, 0, DateTimeKind.Utc);

        await _queries.ExecuteAsync("UpdateIAmAlivetimeKey", new { DeploymentId = "c1", Address = "127.0.0.1", Port = 1, Generation = 7, IAmAliveTime = later });

        var row = Assert.Single(await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "c1" }));
        Assert.Equal(later, ((DateTime)row["IAmAliveTime"]!).ToUniversalTime());
        Assert.Equal(1, row["Version"]);
    }

    [Fact]
    public async Task CleanupDefunct_DeletesLongSilentSilosButNeverActiveOnes()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0, status: Dead));
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 2, version: 1, status: Active));

        await _queries.ExecuteAsync("CleanupDefunctSiloEntriesKey", new { DeploymentId = "c1", IAmAliveTime = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc) });

        var row = Assert.Single(await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "c1" }));
        Assert.Equal(2, row["Port"]);
    }

    [Fact]
    public async Task DeleteEntries_RemovesOneClusterEntirely()
    {
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "c1" });
        await _queries.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = "other" });
        await _queries.ScalarAsync("InsertMembershipKey", Silo("c1", port: 1, version: 0));
        await _queries.ScalarAsync("InsertMembershipKey", Silo("other", port: 2, version: 0));

        await _queries.ExecuteAsync("DeleteMembershipTableEntriesKey", new { DeploymentId = "c1" });

        Assert.Empty(await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "c1" }));
        Assert.Single(await _queries.ReadAsync("MembershipReadAllKey", new { DeploymentId = "other" }));
    }

    private static object Silo(string cluster, int port, int version, int proxyPort = 0, int status = Active) => new
    {
        DeploymentId = cluster,
        Address = "127.0.0.1",
        Port = port,
        Generation = 7,
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = proxyPort,
        StartTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        IAmAliveTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        Version = version,
    };

    private static object Update(string cluster, int port, int status, int version) => new
    {
        DeploymentId = cluster,
        Address = "127.0.0.1",
        Port = port,
        Generation = 7,
        Status = status,
        SuspectTimes = "S127.0.0.1:2:1,2026-01-01 00:00:00.000 GMT",
        IAmAliveTime = new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc),
        Version = version,
    };
}
