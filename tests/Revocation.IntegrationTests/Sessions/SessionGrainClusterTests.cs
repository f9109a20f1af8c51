using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Sessions;

/// <summary>One silo that holds at most <see cref="Limit"/> session grains (and keeps session revocations for <see cref="Retention"/>).</summary>
public sealed class SessionCappedCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["SessionRevocation:MaxActivationsPerSilo"] = "20",
    ["SessionRevocation:Retention"] = "02:00:00",
    ["Sweeper:DueTime"] = "01:00:00",
})
{
    public const int Limit = 20;

    public static readonly TimeSpan Retention = TimeSpan.FromHours(2);
}

/// <summary>
/// Session grains on a real silo: capped like token grains (promise 4), kept for the retention from
/// the first revocation, and refusing a key that breaks the input rules before touching the database.
/// </summary>
public sealed class SessionGrainClusterTests(SessionCappedCluster registry) : IClassFixture<SessionCappedCluster>
{
    private static string NewSid(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private ISessionGrain Session(string sid) => registry.Client.GetSessionGrain(TestTokens.Issuer, sid);

    private Task<long> RowsAsync(string sid) =>
        TestPostgres.ScalarAsync<long>(registry.ConnectionString, "SELECT count(*) FROM revoked_sessions WHERE sid = $1", sid);

    [Fact]
    public async Task ManyDistinctSessions_NeverMoreActivationsThanTheCap()
    {
        var peak = 0;
        for (var i = 0; i < 10 * SessionCappedCluster.Limit; i++)
        {
            Assert.False(await Session(NewSid("walk")).IsRevokedAsync());
            peak = Math.Max(peak, await ActiveSessionGrainsAsync());
        }

        await WaitUntilAsync(async () => await ActiveSessionGrainsAsync() <= SessionCappedCluster.Limit);
        // Evicted grains finish deactivating after the admission that evicted them (more of them
        // are on their way out at once on a busy machine); without the cap the peak is 10 × the limit.
        Assert.True(peak <= SessionCappedCluster.Limit + SessionCappedCluster.Limit / 2, $"peak {peak} session grains with a cap of {SessionCappedCluster.Limit}");
    }

    [Fact]
    public async Task EvictedSessionRevocation_IsStillRefused()
    {
        var sid = NewSid("revoked");
        await Session(sid).RevokeAsync("back-channel logout");

        for (var i = 0; i < 3 * SessionCappedCluster.Limit; i++)
        {
            await Session(NewSid("cold")).IsRevokedAsync();
        }

        await WaitUntilAsync(async () => !await registry.IsActiveAsync(Session(sid)));
        Assert.True(await Session(sid).IsRevokedAsync());
    }

    [Fact]
    public async Task Revocation_IsKeptForTheRetention_AndARepeatOnANewActivationKeepsTheFirstEnd()
    {
        var sid = NewSid("repeat");
        var before = DateTimeOffset.UtcNow;

        var first = await Session(sid).RevokeAsync("logout");
        await registry.Cluster.DeactivateAsync(Session(sid).GetGrainId());
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        var repeat = await Session(sid).RevokeAsync("again");

        Assert.True(first.Revoked);
        Assert.InRange(first.ExpiresAt!.Value, before + SessionCappedCluster.Retention - TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow + SessionCappedCluster.Retention);
        Assert.Equal(first, repeat); // same end, same first reason and instant
        Assert.Equal(1L, await RowsAsync(sid));
    }

    [Theory]
    [InlineData(257)]
    [InlineData(0)]
    public async Task InvalidSessionKey_IsRefusedNamingSid_AndWritesNothing(int length)
    {
        var sid = new string('s', length);
        var grain = registry.Client.GetGrain<ISessionGrain>(new IssuerKey(TestTokens.Issuer, sid).ToGrainKey());

        var refused = await Assert.ThrowsAsync<TokenInputException>(() => grain.RevokeAsync(null));

        Assert.Equal("sid", refused.Field);
        Assert.Equal(0L, await RowsAsync(sid));
        Assert.Throws<TokenInputException>(() => registry.Client.GetSessionGrain(TestTokens.Issuer, sid));
    }

    private async Task<int> ActiveSessionGrainsAsync()
    {
        var type = Session("type-probe").GetGrainId().Type;
        return (await registry.Client.GetGrain<IManagementGrain>(0).GetActiveGrains(type)).Count;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(TimeSpan.FromSeconds(10), condition, poll: TimeSpan.FromMilliseconds(50));
}
