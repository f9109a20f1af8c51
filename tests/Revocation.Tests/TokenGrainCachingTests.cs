using Revocation.Abstractions;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests;

/// <summary>Caching switched off: the stock behaviour, one database read per check.</summary>
[Trait("Category", "Integration")]
[Collection(UncachedCollection.Name)]
public sealed class UncachedTokenGrainTests(UncachedCluster registry)
{
    [Fact]
    public async Task EveryCheck_ReadsTheDatabase()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(jti);

        for (var i = 0; i < 20; i++)
        {
            Assert.False(await grain.IsRevokedAsync());
        }

        Assert.Equal(20, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task Revocation_IsStillSeen()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(jti);

        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null);

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(1, registry.Calls.Reads(jti));
    }
}

/// <summary>A "not revoked" answer is re-read once it is older than the configured bound.</summary>
[Trait("Category", "Integration")]
[Collection(ShortMaxAgeCollection.Name)]
public sealed class NotRevokedMaxAgeTests(ShortMaxAgeCluster registry)
{
    [Fact]
    public async Task NotRevokedAnswer_IsReReadAfterTheMaximumAge()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(jti);
        Assert.False(await grain.IsRevokedAsync());

        // A revocation this activation did not see (as if written through a duplicate activation).
        await TestPostgres.ExecuteAsync(registry.ConnectionString,
            $"INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES ('{jti}', now() + interval '1 hour', now())");
        Assert.False(await grain.IsRevokedAsync()); // still within the bound: answered from memory
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(2, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task RevokedAnswer_IsNeverReRead()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(jti);
        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null);
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(1, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task ConcurrentStaleChecks_ShareOneReload()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(jti);
        Assert.False(await grain.IsRevokedAsync());
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => grain.IsRevokedAsync().AsTask()));

        Assert.All(answers, Assert.False);
        Assert.Equal(2, registry.Calls.Reads(jti)); // the activation read and one shared reload
    }
}
