using Revocation.Silo.Clustering;
using System.Net;
using Revocation.Silo.Hosting;

namespace Revocation.IntegrationTests.OrleansTables;

/// <summary>
/// Silos clustered through the membership table and an API node that finds their gateways there,
/// with the sweep reminder in the reminder table: the deployed wiring, in one process.
/// </summary>
public sealed class AdoNetClusteringTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private TestSilos _silos = null!;

    public async Task InitializeAsync() => _silos = await TestSilos.StartAsync(2, "adonet_cluster", ClusterProvider.AdoNet);

    public async Task DisposeAsync()
    {
        await _silos.DisposeAsync();
        _tokens.Dispose();
    }

    [Fact]
    public async Task TwoSilos_JoinOneClusterThroughTheMembershipTable()
    {
        var active = await TestPostgres.ScalarAsync<long>(_silos.ConnectionString,
            "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Status = 3 AND ProxyPort > 0", _silos.ClusterId);

        Assert.Equal(2, active);
    }

    [Fact]
    public async Task ApiNode_FindsTheGatewaysInTheMembershipTable_AndRevocationsHold()
    {
        await using var factory = new ApiFactory(_silos, _tokens); // no gateway ports configured

        using var http = factory.CreateClient();
        var token = _tokens.Mint();

        var flow = await LogoutRoundTrip.RunAsync(http, token);

        flow.AssertRevoked();
    }

    [Fact]
    public async Task SweepReminder_IsStoredOnce_AndNotRescheduledBySiloStarts()
    {
        var version = await StoredSweepReminderVersionAsync();
        await using var third = await TestSilos.StartOnAsync(1, _silos.ConnectionString, ClusterProvider.AdoNet);

        Assert.Equal(0, version); // registered by the first silo, left alone by the second
        Assert.Equal(0, await StoredSweepReminderVersionAsync());
    }

    /// <summary>The stored sweep reminder's version; a missing row fails the test instead of reading as 0.</summary>
    private async Task<int> StoredSweepReminderVersionAsync()
    {
        const string Sql = "SELECT Version FROM OrleansRemindersTable WHERE ServiceId = $1 AND ReminderName = 'sweep-expired-revocations'";
        var version = await TestPostgres.ScalarAsync<int?>(_silos.ConnectionString, Sql, TestSilos.ServiceId);
        Assert.True(version.HasValue, $"No sweep reminder is stored in OrleansRemindersTable for service {TestSilos.ServiceId}.");
        return version.Value;
    }
}
