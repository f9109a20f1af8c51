using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.TokenGrains;

/// <summary>Caching switched off: the stock behaviour, one database read per check.</summary>
[Collection(UncachedCollection.Name)]
public sealed class UncachedTokenGrainTests(UncachedCluster registry)
{
    [Fact]
    public async Task EveryCheck_ReadsTheDatabase()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);

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
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);

        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null);

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(1, registry.Calls.Reads(jti));
    }
}

/// <summary>
/// A "not revoked" answer is re-read once it is as old as <c>TokenGrain:NotRevokedMaxAge</c> (the
/// default, 10 minutes), counted on the silos' fake clock from when its read started.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class NotRevokedMaxAgeTests(FakeClockCluster registry)
{
    private static readonly TimeSpan MaxAge = new TokenGrainOptions().NotRevokedMaxAge;

    /// <summary>A revocation the activation did not see (as if written through a duplicate activation).</summary>
    private Task RevokeBehindTheGrainsBackAsync(string jti) => TestPostgres.ExecuteAsync(registry.ConnectionString,
        $"INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) VALUES ('test-issuer', '{jti}', now() + interval '1 day', now())");

    [Theory]
    [InlineData(-1, false, 1)] // a tick before the maximum age: answered from memory
    [InlineData(0, true, 2)] // exactly the maximum age: read again, and the revocation seen
    public async Task NotRevokedAnswer_IsReReadAtExactlyTheMaximumAge(long ticksPastMaxAge, bool revoked, int reads)
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        Assert.False(await grain.IsRevokedAsync());
        await RevokeBehindTheGrainsBackAsync(jti);

        registry.Clock.Advance(MaxAge + TimeSpan.FromTicks(ticksPastMaxAge));

        Assert.Equal(revoked, await grain.IsRevokedAsync());
        Assert.Equal(reads, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task RevokedAnswer_IsNeverReRead()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        await grain.RevokeAsync(registry.Clock.GetUtcNow().AddDays(1), null);

        registry.Clock.Advance(MaxAge * 3);

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(0, registry.Calls.Reads(jti)); // the revocation's write told the grain; never read
    }

    [Fact]
    public async Task ConcurrentStaleChecks_ShareOneReload()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        Assert.False(await grain.IsRevokedAsync());
        registry.Clock.Advance(MaxAge);

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => grain.IsRevokedAsync().AsTask()));

        Assert.All(answers, Assert.False);
        Assert.Equal(2, registry.Calls.Reads(jti)); // the activation read and one shared reload
    }
}
