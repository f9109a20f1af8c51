using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.ActivationCap;

/// <summary>
/// Promise 4 on a real silo: however many distinct tokens pass through, the silo never holds
/// more token grains than <c>TokenGrain:MaxActivationsPerSilo</c>, and what it evicts is what
/// was least recently used.
/// </summary>
[Collection(CappedCollection.Name)]
public sealed class TokenActivationCapClusterTests(CappedCluster registry)
{
    [Fact]
    public async Task ManyDistinctTokens_NeverMoreActivationsThanTheCap()
    {
        var peak = 0;
        for (var i = 0; i < 10 * CappedCluster.Limit; i++)
        {
            Assert.False(await registry.Client.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("walk")).IsRevokedAsync());
            peak = Math.Max(peak, await ActiveTokenGrainsAsync());
        }

        await WaitUntilAsync(async () => await ActiveTokenGrainsAsync() <= CappedCluster.Limit);
        // Evicted grains finish deactivating after the admission that evicted them, so some can
        // still be on their way out at any given moment (more on a busy machine); without the cap
        // the peak is 10 × the limit.
        Assert.True(peak <= CappedCluster.Limit + CappedCluster.Limit / 2, $"peak {peak} token grains with a cap of {CappedCluster.Limit}");
    }

    [Fact]
    public async Task HotToken_SurvivesAStreamOfNewOnes()
    {
        var hot = RegistryCluster.NewJti("hot");
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, hot);

        for (var i = 0; i < 5 * CappedCluster.Limit; i++)
        {
            Assert.False(await grain.IsRevokedAsync());
            await registry.Client.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("cold")).IsRevokedAsync();
        }

        Assert.Equal(1, registry.Calls.Reads(hot)); // one activation the whole time
    }

    [Fact]
    public async Task EvictedRevocation_IsStillRejected()
    {
        var jti = RegistryCluster.NewJti("revoked");
        await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null);

        for (var i = 0; i < 3 * CappedCluster.Limit; i++)
        {
            await registry.Client.GetTokenGrain(TestTokens.Issuer, RegistryCluster.NewJti("cold")).IsRevokedAsync();
        }

        await WaitUntilAsync(async () => !await registry.IsActiveAsync(registry.Client.GetTokenGrain(TestTokens.Issuer, jti)));
        Assert.Equal(0, registry.Calls.Reads(jti)); // the revocation wrote without reading
        Assert.True(await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        Assert.Equal(1, registry.Calls.Reads(jti)); // evicted, then read once by the new activation
    }

    private Task<int> ActiveTokenGrainsAsync() => registry.ActiveTokenGrainsAsync();

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(TimeSpan.FromSeconds(10), condition, poll: TimeSpan.FromMilliseconds(50));
}
