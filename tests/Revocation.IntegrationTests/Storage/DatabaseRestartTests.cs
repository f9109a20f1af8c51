using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Storage;

/// <summary>Promise 1 across a database restart: nothing acknowledged is lost, nothing unacknowledged is claimed.</summary>
public sealed class DatabaseRestartTests
{
    private static DateTimeOffset InOneHour => DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public async Task DatabaseRestart_KeepsAcknowledgedRevocations_AndRefusesToAcknowledgeWhileDown()
    {
        using var database = new PrivatePostgres();
        await using var silos = await TestSilos.StartOnAsync(1, database.ConnectionString);
        var grains = silos.Grains;
        var before = grains.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("before"));
        var during = grains.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("during"));
        var after = grains.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("after"));
        await before.RevokeAsync(InOneHour, "acknowledged before the outage");
        Assert.False(await during.IsRevokedAsync());

        database.Stop();

        Assert.True(await before.IsRevokedAsync()); // answered from memory while the database is down
        await Assert.ThrowsAsync<RegistryStorageException>(() => during.RevokeAsync(InOneHour, "not durable"));
        Assert.False(await during.IsRevokedAsync()); // never acknowledged, never claimed

        database.Start();

        await after.RevokeAsync(InOneHour, "after the restart"); // the pool's broken connections are retried away
        await during.RevokeAsync(InOneHour, "retried by the caller");
        await before.EvictAsync();
        Assert.True(await before.IsRevokedAsync()); // reloaded from the restarted database
        Assert.True(await during.IsRevokedAsync());
        Assert.True(await after.IsRevokedAsync());
    }
}
