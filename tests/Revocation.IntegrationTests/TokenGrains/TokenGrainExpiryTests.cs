using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.TokenGrains;

/// <summary>
/// A revocation is given the last instant any node accepts the token (its <c>exp</c> plus the
/// revoking node's <c>Jwt:ClockSkew</c>): until that instant it is recorded and held, from it on
/// nothing is left to revoke. Checked on the silos' fake clock at the instant itself and one tick
/// either side.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class TokenGrainExpiryTests(FakeClockCluster registry)
{
    /// <summary>A whole second a minute or more ahead: <c>exp</c> has one-second resolution, and so has a whole-second skew.</summary>
    private DateTimeOffset AcceptedUntil() => DateTimeOffset.FromUnixTimeSeconds(registry.Clock.GetUtcNow().ToUnixTimeSeconds() + 60);

    [Fact]
    public async Task Revoke_OneTickBeforeTheLastAcceptedInstant_IsRecordedUntilExactlyThatInstant()
    {
        var jti = RegistryCluster.NewJti();
        var acceptedUntil = AcceptedUntil();
        registry.Clock.SetUtcNow(acceptedUntil - TimeSpan.FromTicks(1));

        var status = await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(acceptedUntil, "just in time");

        Assert.True(status.Revoked);
        Assert.Equal(acceptedUntil, status.ExpiresAt);
        Assert.Equal(1, registry.Calls.Writes(jti));
        Assert.Equal(0, registry.Calls.Reads(jti)); // a token never seen: written without being read first
        Assert.Equal(acceptedUntil.UtcDateTime, await TestPostgres.ScalarAsync<DateTime>(
            registry.ConnectionString, "SELECT expires_at FROM revoked_tokens WHERE jti = $1", jti));
    }

    [Theory]
    [InlineData(0)] // exactly the last accepted instant
    [InlineData(1)] // one tick past it
    [InlineData(10_000_000)] // a second past it
    public async Task Revoke_AtOrPastTheLastAcceptedInstant_WritesNothing(long ticksPast)
    {
        var jti = RegistryCluster.NewJti();
        var acceptedUntil = AcceptedUntil();
        registry.Clock.SetUtcNow(acceptedUntil + TimeSpan.FromTicks(ticksPast));
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);

        var status = await grain.RevokeAsync(acceptedUntil, "too late");

        Assert.Equal(TokenStatus.NotRevoked, status);
        Assert.False(await grain.IsRevokedAsync());
        Assert.Equal(0, registry.Calls.Writes(jti));
        Assert.Equal(0, await registry.RowCountAsync(jti));
    }

    [Fact]
    public async Task RevokedGrain_AnswersFromMemoryUntilOneTickBeforeTheEnd_AndDeactivatesAtTheEnd()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        var until = AcceptedUntil().AddHours(1);
        await grain.RevokeAsync(until, null);
        Assert.True(registry.Cluster.TryGetGrainContext(grain.GetGrainId(), out var activation));

        registry.Clock.SetUtcNow(until - TimeSpan.FromTicks(1));
        Assert.True(await grain.IsRevokedAsync()); // a turn after any expiry tick the move queued
        var early = await Task.WhenAny(activation.Deactivated, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(activation.Deactivated, early);
        Assert.True(registry.Cluster.TryGetGrainContext(grain.GetGrainId(), out var still));
        Assert.Same(activation, still);
        Assert.Equal(0, registry.Calls.Reads(jti)); // the revocation's write told it all: answered from memory

        registry.Clock.SetUtcNow(until);

        // Real time bounds only a hang: the expiry timer fires on the clock's move, not on a wait.
        var deactivated = await Task.WhenAny(activation.Deactivated, Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.Same(activation.Deactivated, deactivated);
        Assert.False(registry.Cluster.TryGetGrainContext(grain.GetGrainId(), out _));
    }
}
