using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.ActivationCap;

/// <summary>
/// Promise 4 for subjects: every check of a token with a <c>sub</c> activates that subject's grain,
/// so distinct subjects must be bounded like distinct tokens (<c>SubjectRevocation:MaxActivationsPerSilo</c>),
/// and what the cap evicts still answers correctly when it comes back.
/// </summary>
public sealed class SubjectActivationCapTests(SubjectCappedCluster registry) : IClassFixture<SubjectCappedCluster>
{
    private const int Limit = SubjectCappedCluster.Limit;

    [Fact]
    public async Task ManyDistinctSubjects_NeverMoreSubjectGrainsThanTheCap()
    {
        var peak = 0;
        for (var i = 0; i < 10 * Limit; i++)
        {
            Assert.Null((await registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("walk")).GetStatusAsync()).NotBefore);
            peak = Math.Max(peak, await registry.ActiveSubjectGrainsAsync());
        }

        await WaitUntilAsync(async () => await registry.ActiveSubjectGrainsAsync() <= Limit);
        // Evicted grains finish deactivating after the admission that evicted them, so some can
        // still be on their way out at a given moment (more on a busy machine: CI saw 4 over the
        // cap); without the cap the peak is 10 × the limit.
        Assert.True(peak <= Limit + Limit / 2, $"peak {peak} subject grains with a cap of {Limit}");
    }

    [Fact]
    public async Task EvictedRevokedSubject_IsStillRevoked_WhenItComesBack()
    {
        var sub = RegistryCluster.NewJti("revoked");
        var revoked = await registry.Client.GetSubjectGrain(TestTokens.Issuer, sub).RevokeAllAsync(DateTimeOffset.UtcNow);

        for (var i = 0; i < 3 * Limit; i++)
        {
            await registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("cold")).GetStatusAsync();
        }

        await WaitUntilAsync(async () => !await registry.IsActiveAsync(registry.Client.GetSubjectGrain(TestTokens.Issuer, sub)));
        var reloaded = await registry.Client.GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync();

        Assert.NotNull(revoked.NotBefore);
        Assert.Equal(revoked, reloaded); // read back from grain storage by the new activation
        Assert.True(await registry.IsActiveAsync(registry.Client.GetSubjectGrain(TestTokens.Issuer, sub)));
    }

    [Fact]
    public async Task HotSubject_SurvivesAStreamOfNewOnes()
    {
        var hot = registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("hot"));
        await hot.GetStatusAsync();

        for (var i = 0; i < 5 * Limit; i++)
        {
            await hot.GetStatusAsync();
            await registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("cold")).GetStatusAsync();
            // Once the count is back at the cap, whatever this admission evicted has finished deactivating.
            await WaitUntilAsync(async () => await registry.ActiveSubjectGrainsAsync() <= Limit);
            Assert.True(await registry.IsActiveAsync(hot), $"the hot subject was evicted after {i + 1} cold ones");
        }
    }

    [Fact]
    public void Validator_RefusesANegativeCap_NamingTheSetting()
    {
        var result = new SubjectRevocationOptionsValidator().Validate(null, new SubjectRevocationOptions { MaxActivationsPerSilo = -1 });

        Assert.True(result.Failed);
        Assert.Contains("SubjectRevocation:MaxActivationsPerSilo must be zero (no cap) or positive (was -1)", result.FailureMessage);
        Assert.True(new SubjectRevocationOptionsValidator().Validate(null, new SubjectRevocationOptions { MaxActivationsPerSilo = 0 }).Succeeded);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(TimeSpan.FromSeconds(10), condition, poll: TimeSpan.FromMilliseconds(50));
}
