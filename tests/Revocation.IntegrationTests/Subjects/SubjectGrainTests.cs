using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Subjects;

/// <summary>The subject grain on two silos whose clock moves only when a test moves it.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class SubjectGrainTests(FakeClockCluster registry)
{
    private static readonly SubjectRevocationOptions Defaults = new(); // the cluster runs with the defaults

    /// <summary>A not-before a little ahead of the silos' clock, off a whole second (it is kept as given).</summary>
    private DateTimeOffset Soon() => registry.Clock.GetUtcNow() + TimeSpan.FromMilliseconds(3_250);

    [Fact]
    public async Task UnrevokedSubject_HasNoNotBefore()
    {
        var status = await registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("sub")).GetStatusAsync();

        Assert.Null(status.NotBefore);
        Assert.False(status.Revokes(DateTimeOffset.UtcNow.AddYears(-1)));
    }

    [Fact]
    public async Task RevokeAll_HoldsTheNotBeforeGiven_AsIs_OnEverySilo()
    {
        var sub = RegistryCluster.NewJti("sub");
        var notBefore = Soon();

        var status = await registry.SiloGrains(0).GetSubjectGrain(TestTokens.Issuer, sub).RevokeAllAsync(notBefore);

        Assert.Equal(notBefore, status.NotBefore);
        Assert.True(status.Revokes(notBefore.AddMinutes(-10)));
        Assert.True(status.Revokes(notBefore - TimeSpan.FromTicks(1)));
        Assert.False(status.Revokes(notBefore));
        Assert.Equal(status, await registry.SiloGrains(1).GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync());
    }

    [Fact]
    public async Task NotBefore_SurvivesDeactivation_ReloadedFromGrainStorage()
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(TestTokens.Issuer, sub);
        var status = await grain.RevokeAllAsync(Soon());

        await registry.Cluster.DeactivateAsync(grain.GetGrainId());

        Assert.Equal(status, await registry.SiloGrains(1).GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync());
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>(registry.ConnectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2", SubjectGrain.StateName, TestKeys.Of(sub)));
    }

    [Fact]
    public async Task RevokeAll_WithAnEarlierNotBefore_NeverMovesItBack_ALaterOneMovesItForward()
    {
        var grain = registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("sub"));
        var first = await grain.RevokeAllAsync(Soon());

        var earlier = await grain.RevokeAllAsync(first.NotBefore!.Value.AddSeconds(-5));
        var later = await grain.RevokeAllAsync(first.NotBefore!.Value.AddMilliseconds(1));

        Assert.Equal(first, earlier);
        Assert.Equal(first.NotBefore!.Value.AddMilliseconds(1), later.NotBefore);
        await registry.Cluster.DeactivateAsync(grain.GetGrainId());
        Assert.Equal(later, await grain.GetStatusAsync());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task RevokeAll_FurtherFromTheSilosClockThanAllowed_IsRefusedNamingTheSetting_AndChangesNothing(int direction)
    {
        var grain = registry.Client.GetSubjectGrain(TestTokens.Issuer, RegistryCluster.NewJti("sub"));
        var furthest = registry.Clock.GetUtcNow() + (direction * Defaults.MaxIssuerClockOffset);

        var error = await Assert.ThrowsAsync<TokenInputException>(() => grain.RevokeAllAsync(furthest + TimeSpan.FromSeconds(direction)));

        Assert.Equal("notBefore", error.Field);
        Assert.Contains("SubjectRevocation:MaxIssuerClockOffset", error.Message);
        Assert.Null((await grain.GetStatusAsync()).NotBefore);
        Assert.Equal(furthest, (await grain.RevokeAllAsync(furthest)).NotBefore); // the edge itself is accepted
    }

    /// <summary>
    /// A subject revoked with <see cref="Soon"/>, whose stored not-before was then moved by
    /// <paramref name="change"/> behind its grain's back (as a duplicate activation's write would).
    /// </summary>
    private async Task<(string Sub, ISubjectGrain Grain, SubjectStatus Held, DateTimeOffset Stored)> RevokedThenChangedBehindItsBackAsync(TimeSpan change)
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(TestTokens.Issuer, sub);
        var held = await grain.RevokeAllAsync(Soon());
        var stored = held.NotBefore!.Value + change;
        await ChangeStoredRowAsync(sub, stored);
        return (sub, grain, held, stored);
    }

    [Fact]
    public async Task NotBefore_WrittenBehindTheGrainsBack_IsSeenOnceOlderThanTheMaxAge()
    {
        var (sub, grain, held, written) = await RevokedThenChangedBehindItsBackAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(held, await grain.GetStatusAsync()); // answered from memory
        registry.Clock.Advance(Defaults.NotBeforeMaxAge - TimeSpan.FromTicks(1));
        Assert.Equal(held, await grain.GetStatusAsync());
        registry.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(written, (await grain.GetStatusAsync()).NotBefore);
        Assert.Equal(written, (await registry.SiloGrains(1).GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync()).NotBefore);
    }

    [Fact]
    public async Task NotBeforeReadAgain_NeverMovesItBack()
    {
        // Storage restored from an older backup, say.
        var (_, grain, held, _) = await RevokedThenChangedBehindItsBackAsync(TimeSpan.FromHours(-1));

        registry.Clock.Advance(Defaults.NotBeforeMaxAge);

        Assert.Equal(held, await grain.GetStatusAsync());
    }

    [Fact]
    public async Task ChecksPastTheMaxAge_ShareOneRead()
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(TestTokens.Issuer, sub);
        var held = await grain.RevokeAllAsync(Soon());
        var answers = new List<SubjectStatus>();

        var statements = await DatabaseStatements.DuringAsync(registry.ConnectionString, async () =>
        {
            registry.Clock.Advance(Defaults.NotBeforeMaxAge);
            answers = [.. await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.GetStatusAsync().AsTask()))];
        });

        Assert.All(answers, answer => Assert.Equal(held, answer));
        Assert.Equal(1L, statements.Where(s => s.Query.Contains(GrainStateRead, StringComparison.OrdinalIgnoreCase)).Sum(s => s.Calls));
    }

    /// <summary>The start of the grain storage's read (<c>ReadFromStorageKey</c>, migration 0002).</summary>
    private const string GrainStateRead = "SELECT PayloadBinary, Version";

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
            ? [SubjectGrain.StateName, TestKeys.Of(sub)]
            : [SubjectGrain.StateName, TestKeys.Of(sub), StorageSerializer().Serialize(new SubjectRevocationState { NotBefore = notBefore }).ToArray()];
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
        var (sub, grain, first, stored) = await RevokedThenChangedBehindItsBackAsync(TimeSpan.FromMinutes(5));

        var second = await grain.RevokeAllAsync(first.NotBefore!.Value.AddSeconds(1)); // a not-before of its own to write

        // Not-befores only move forward: the later one in storage wins over this call's own.
        Assert.Equal(stored, second.NotBefore);
        Assert.Equal(stored, (await registry.SiloGrains(1).GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync()).NotBefore);
        Assert.True(second.Revokes(stored.AddSeconds(-1)));
    }

    [Fact]
    public async Task RevokeAll_AfterTheStoredVersionMovedOn_WritesItsNotBeforeDurably()
    {
        var sub = RegistryCluster.NewJti("sub");
        var grain = registry.Client.GetSubjectGrain(TestTokens.Issuer, sub);
        var first = await grain.RevokeAllAsync(Soon());
        var version = await ChangeStoredRowAsync(sub);
        var next = first.NotBefore!.Value.AddSeconds(1);

        var second = await grain.RevokeAllAsync(next);
        var third = await grain.RevokeAllAsync(next); // the same not-before again: no longer stuck

        Assert.Equal(next, second.NotBefore);
        Assert.Equal(second, third);
        Assert.Equal(third, await grain.GetStatusAsync());
        await registry.Cluster.DeactivateAsync(grain.GetGrainId());
        Assert.Equal(third, await registry.SiloGrains(1).GetSubjectGrain(TestTokens.Issuer, sub).GetStatusAsync());
        Assert.True(await TestPostgres.ScalarAsync<int>(registry.ConnectionString,
            "SELECT Version FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2", SubjectGrain.StateName, TestKeys.Of(sub)) > version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nsub")]
    public void InvalidSubject_IsRefusedBeforeAnyCall(string sub) =>
        Assert.Equal("sub", Assert.Throws<TokenInputException>(() => registry.Client.GetSubjectGrain(TestTokens.Issuer, sub)).ParamName);

    [Fact]
    public async Task InvalidSubject_ReachingTheGrain_IsRefused()
    {
        var grain = registry.Client.GetGrain<ISubjectGrain>(TestKeys.Of(new string('s', 300)));

        var error = await Assert.ThrowsAsync<TokenInputException>(() => grain.RevokeAllAsync(Soon()));

        Assert.Equal("sub", error.Field);
    }
}
