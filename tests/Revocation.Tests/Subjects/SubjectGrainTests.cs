using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Subjects;

[Collection(TwoSiloCollection.Name)]
public sealed class SubjectGrainTests(TwoSiloCluster registry)
{
    [Fact]
    public async Task UnrevokedSubject_HasNoNotBefore()
    {
        var status = await registry.Client.GetSubjectGrain(RegistryCluster.NewJti("sub")).GetStatusAsync();

        Assert.Null(status.NotBefore);
        Assert.False(status.Revokes(DateTimeOffset.UtcNow.AddYears(-1)));
    }

    [Fact]
    public async Task RevokeAll_RevokesEverythingIssuedUpToTheNextWholeSecond()
    {
        var sub = RegistryCluster.NewJti("sub");
        var before = DateTimeOffset.UtcNow;

        var status = await registry.SiloGrains(0).GetSubjectGrain(sub).RevokeAllAsync();

        var notBefore = status.NotBefore!.Value;
        Assert.Equal(0, notBefore.Millisecond);
        Assert.InRange(notBefore, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(status.Revokes(before.AddMinutes(-10)));
        Assert.True(status.Revokes(notBefore.AddSeconds(-1)));
        Assert.False(status.Revokes(notBefore));
        Assert.Equal(status, await registry.SiloGrains(1).GetSubjectGrain(sub).GetStatusAsync());
    }

    [Fact]
    public async Task NotBefore_SurvivesDeactivation_ReloadedFromGrainStorage()
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(sub);
        var status = await grain.RevokeAllAsync();

        await registry.Cluster.DeactivateAsync(grain.GetGrainId());

        Assert.Equal(status, await registry.SiloGrains(1).GetSubjectGrain(sub).GetStatusAsync());
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>(registry.ConnectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2", SubjectGrain.StateName, sub));
    }

    [Fact]
    public async Task RevokeAll_Repeated_MovesTheNotBeforeForward()
    {
        var grain = registry.Client.GetSubjectGrain(RegistryCluster.NewJti("sub"));
        var first = await grain.RevokeAllAsync();
        await Task.Delay(1100);

        var second = await grain.RevokeAllAsync();

        Assert.True(second.NotBefore > first.NotBefore);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nsub")]
    public void InvalidSubject_IsRefusedBeforeAnyCall(string sub) =>
        Assert.Equal("sub", Assert.Throws<TokenInputException>(() => registry.Client.GetSubjectGrain(sub)).ParamName);

    [Fact]
    public async Task InvalidSubject_ReachingTheGrain_IsRefused()
    {
        var grain = registry.Client.GetGrain<ISubjectGrain>(new string('s', 300));

        var error = await Assert.ThrowsAsync<TokenInputException>(() => grain.RevokeAllAsync());

        Assert.Equal("sub", error.Field);
    }
}
