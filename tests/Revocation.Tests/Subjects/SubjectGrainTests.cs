using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Subjects;

/// <summary>The subject grain on two silos whose clock moves only when a test moves it.</summary>
[Trait("Category", "Integration")]
[Collection(FakeClockCollection.Name)]
public sealed class SubjectGrainTests(FakeClockCluster registry)
{
    private static readonly TimeSpan Margin = new SubjectRevocationOptions().IssuerClockMargin; // the cluster runs with the default

    /// <summary>Moves the clock to the next whole second and returns it.</summary>
    private DateTimeOffset NextWholeSecond()
    {
        var second = DateTimeOffset.FromUnixTimeSeconds(registry.Clock.GetUtcNow().ToUnixTimeSeconds() + 1);
        registry.Clock.SetUtcNow(second);
        return second;
    }

    [Fact]
    public async Task UnrevokedSubject_HasNoNotBefore()
    {
        var status = await registry.Client.GetSubjectGrain(RegistryCluster.NewJti("sub")).GetStatusAsync();

        Assert.Null(status.NotBefore);
        Assert.False(status.Revokes(DateTimeOffset.UtcNow.AddYears(-1)));
    }

    [Theory]
    [InlineData(0)] // on a whole second
    [InlineData(9_999_999)] // one tick before the next
    public async Task RevokeAll_RevokesEverythingIssuedUpToTheMarginAndTheNextWholeSecond(long ticksIntoTheSecond)
    {
        var sub = RegistryCluster.NewJti("sub");
        var second = NextWholeSecond();
        registry.Clock.Advance(TimeSpan.FromTicks(ticksIntoTheSecond));

        var status = await registry.SiloGrains(0).GetSubjectGrain(sub).RevokeAllAsync();

        var notBefore = status.NotBefore!.Value;
        Assert.Equal(second + Margin + TimeSpan.FromSeconds(1), notBefore);
        Assert.True(status.Revokes(second.AddMinutes(-10)));
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
    public async Task RevokeAll_Repeated_MovesTheNotBeforeForwardAtTheNextWholeSecond()
    {
        var grain = registry.Client.GetSubjectGrain(RegistryCluster.NewJti("sub"));
        var second = NextWholeSecond();
        var first = await grain.RevokeAllAsync();

        registry.Clock.SetUtcNow(second.AddSeconds(1) - TimeSpan.FromTicks(1));
        var sameSecond = await grain.RevokeAllAsync();
        registry.Clock.SetUtcNow(second.AddSeconds(1));
        var nextSecond = await grain.RevokeAllAsync();

        Assert.Equal(first.NotBefore, sameSecond.NotBefore);
        Assert.Equal(first.NotBefore!.Value.AddSeconds(1), nextSecond.NotBefore);
    }

    /// <summary>
    /// Changes the stored row behind the grain's back, as a write that committed but whose reply
    /// was lost (or a second activation's write) would: the version moves on, and with
    /// <paramref name="notBefore"/> the payload too. Returns the new version.
    /// </summary>
    private async Task<int> ChangeStoredRowAsync(string sub, DateTimeOffset? notBefore = null)
    {
        var sql = "UPDATE OrleansStorage SET Version = Version + 1"
            + (notBefore is null ? "" : ", PayloadBinary = $3")
            + " WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2 RETURNING Version";
        object[] parameters = notBefore is null
            ? [SubjectGrain.StateName, sub]
            : [SubjectGrain.StateName, sub, StorageSerializer().Serialize(new SubjectRevocationState { NotBefore = notBefore }).ToArray()];
        var version = await TestPostgres.ScalarAsync<int>(registry.ConnectionString, sql, parameters);
        Assert.True(version > 1, "the subject's row was not found");
        return version;
    }

    /// <summary>The serializer the silos' grain storage writes payloads with.</summary>
    private IGrainStorageSerializer StorageSerializer() => registry.Cluster.Silos[0].ServiceProvider
        .GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(SubjectGrain.StorageName).GrainStorageSerializer;

    [Fact]
    public async Task RevokeAll_AfterAnUnacknowledgedLaterWrite_SucceedsAndKeepsTheLaterNotBefore()
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(sub);
        var first = await grain.RevokeAllAsync();
        var stored = first.NotBefore!.Value.AddHours(1);
        await ChangeStoredRowAsync(sub, stored);
        registry.Clock.Advance(TimeSpan.FromSeconds(1)); // a later second: this call has a not-before of its own to write

        var second = await grain.RevokeAllAsync();

        // Not-befores only move forward: the later one in storage wins over this call's own.
        Assert.Equal(stored, second.NotBefore);
        Assert.Equal(stored, (await registry.SiloGrains(1).GetSubjectGrain(sub).GetStatusAsync()).NotBefore);
        Assert.True(second.Revokes(stored.AddSeconds(-1)));
    }

    [Fact]
    public async Task RevokeAll_AfterTheStoredVersionMovedOn_WritesItsNotBeforeDurably()
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(sub);
        var first = await grain.RevokeAllAsync();
        var version = await ChangeStoredRowAsync(sub);
        registry.Clock.Advance(TimeSpan.FromSeconds(1));

        var second = await grain.RevokeAllAsync();
        var third = await grain.RevokeAllAsync(); // the same second: no longer stuck

        Assert.Equal(first.NotBefore!.Value.AddSeconds(1), second.NotBefore);
        Assert.Equal(second, third);
        Assert.Equal(third, await grain.GetStatusAsync());
        await registry.Cluster.DeactivateAsync(grain.GetGrainId());
        Assert.Equal(third, await registry.SiloGrains(1).GetSubjectGrain(sub).GetStatusAsync());
        Assert.True(await TestPostgres.ScalarAsync<int>(registry.ConnectionString,
            "SELECT Version FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2", SubjectGrain.StateName, sub) > version);
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
