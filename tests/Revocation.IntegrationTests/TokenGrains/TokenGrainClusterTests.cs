using System.Diagnostics;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.TokenGrains;

/// <summary>The token grain in a two-silo cluster on real PostgreSQL.</summary>
[Collection(TwoSiloCollection.Name)]
public sealed class TokenGrainClusterTests(TwoSiloCluster registry)
{
    private static DateTimeOffset InOneHour => DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public async Task Revoke_ThroughOneSilo_IsSeenThroughTheOther()
    {
        var jti = RegistryCluster.NewJti();

        await registry.SiloGrains(0).GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(InOneHour, "logout");

        Assert.True(await registry.SiloGrains(1).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        Assert.True(await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
    }

    [Fact]
    public async Task IsRevoked_UnknownJti_IsFalse()
    {
        var jti = RegistryCluster.NewJti();

        Assert.False(await registry.SiloGrains(0).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        Assert.False(await registry.SiloGrains(1).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        Assert.Equal(TokenStatus.NotRevoked, await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync());
    }

    [Fact]
    public async Task Revoke_ReturnsTheCommittedStatus()
    {
        var jti = RegistryCluster.NewJti();
        var expiresAt = InOneHour;
        var before = DateTimeOffset.UtcNow;

        var status = await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(expiresAt, "stolen laptop");

        Assert.True(status.Revoked);
        Assert.Equal("stolen laptop", status.Reason);
        Assert.InRange(status.RevokedAt!.Value, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        // PostgreSQL keeps microseconds; the status is the row as stored.
        Assert.Equal(expiresAt.UtcTicks / 10, status.ExpiresAt!.Value.UtcTicks / 10);
        Assert.Equal(status, await registry.SiloGrains(1).GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync());
    }

    [Fact]
    public async Task Revocation_SurvivesDeactivation_ReloadedFromTheDatabase()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        await grain.RevokeAsync(InOneHour, null);

        await registry.DeactivateAsync(grain);

        Assert.True(await registry.SiloGrains(1).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        Assert.Equal(1, registry.Calls.Reads(jti)); // the new activation's: the first wrote without reading
    }

    [Fact]
    public async Task Checks_ReadTheDatabaseOncePerActivation()
    {
        var jti = RegistryCluster.NewJti();
        for (var i = 0; i < 50; i++)
        {
            Assert.False(await registry.SiloGrains(i % 2).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        }

        Assert.Equal(1, registry.Calls.Reads(jti));

        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        await grain.EvictAsync();
        await registry.Cluster.WaitForDeactivationAsync(grain.GetGrainId());
        for (var i = 0; i < 50; i++)
        {
            Assert.False(await grain.IsRevokedAsync());
        }

        Assert.Equal(2, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task Revoke_Twice_IsHarmless()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        var expiresAt = InOneHour;

        var first = await grain.RevokeAsync(expiresAt, "first");
        var second = await grain.RevokeAsync(expiresAt, "second");

        Assert.Equal(first, second);
        Assert.Equal(1, registry.Calls.Writes(jti)); // the repeat is answered from memory
        Assert.Equal(1, await registry.RowCountAsync(jti));
    }

    [Fact]
    public async Task Revoke_WithLaterExpiry_ExtendsTheRowAndKeepsTheFirstRevocation()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        var first = await grain.RevokeAsync(InOneHour, "first");

        var later = DateTimeOffset.UtcNow.AddHours(2);
        var second = await grain.RevokeAsync(later, "second");

        Assert.Equal(first.RevokedAt, second.RevokedAt);
        Assert.Equal("first", second.Reason);
        Assert.Equal(later.UtcTicks / 10, second.ExpiresAt!.Value.UtcTicks / 10);
    }

    [Fact]
    public async Task ConcurrentRevokeAndReads_NeverAnswerNotRevokedAfterTheAcknowledgement()
    {
        var jti = RegistryCluster.NewJti();
        var factories = new[] { registry.SiloGrains(0), registry.SiloGrains(1), registry.Client };
        long acknowledgedAt = long.MaxValue;
        using var stop = new CancellationTokenSource();
        var lateReads = 0;
        var staleReads = 0;

        async Task ReadLoop(IGrainFactory grains)
        {
            var grain = grains.GetTokenGrain(TestTokens.Issuer, jti);
            while (!stop.IsCancellationRequested)
            {
                var startedAt = Stopwatch.GetTimestamp();
                var revoked = await grain.IsRevokedAsync();
                if (startedAt > Volatile.Read(ref acknowledgedAt))
                {
                    Interlocked.Increment(ref lateReads);
                    if (!revoked)
                    {
                        Interlocked.Increment(ref staleReads);
                    }
                }
            }
        }

        var readers = Enumerable.Range(0, 24).Select(i => Task.Run(() => ReadLoop(factories[i % factories.Length]))).ToArray();
        try
        {
            await Task.Delay(100);
            await factories[1].GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(InOneHour, "race");
            Volatile.Write(ref acknowledgedAt, Stopwatch.GetTimestamp());
            await Task.Delay(300);
        }
        finally
        {
            // The readers stop on every path, a failed revocation included.
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }

        Assert.True(lateReads > 100, $"only {lateReads} reads started after the acknowledgement");
        Assert.Equal(0, staleReads);
    }

    [Fact]
    public async Task Revoke_WhenTheDatabaseWriteFails_IsNotAcknowledgedAndChangesNothing()
    {
        await registry.InstallFailingWriteTriggerAsync();
        var jti = RegistryCluster.NewJti(RegistryCluster.FailingWritePrefix);
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        Assert.False(await grain.IsRevokedAsync());

        var error = await Assert.ThrowsAsync<RegistryStorageException>(() => grain.RevokeAsync(InOneHour, "doomed"));

        Assert.Contains("injected write failure", error.Message);
        Assert.False(await grain.IsRevokedAsync());
        Assert.Equal(TokenStatus.NotRevoked, await grain.GetStatusAsync());
        Assert.Equal(1, registry.Calls.Reads(jti)); // the answers above came from (unchanged) memory
        Assert.Equal(0, await registry.RowCountAsync(jti));
    }
}
