using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.TokenGrains;

/// <summary>
/// A silo on a host booted minutes ago (its monotonic clock near 0): a new token or session grain
/// has read nothing yet, and must read its row before answering, however small the clock's
/// timestamps. Before the fix a new activation took "never read" (timestamp 0) for a "not revoked"
/// read at boot, still fresh for <c>NotRevokedMaxAge</c> (15 minutes): for the first 15 minutes
/// of a host's uptime its silos answered "not revoked" for revoked tokens and sessions.
/// </summary>
public sealed class JustBootedHostTests(JustBootedCluster registry) : IClassFixture<JustBootedCluster>
{
    [Fact]
    public async Task FirstCheck_ReadsTheDatabase()
    {
        var jti = RegistryCluster.NewJti();

        Assert.False(await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());

        Assert.Equal(1, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task RevokedToken_IsRefusedByANewActivation()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "logout");

        await registry.DeactivateAsync(grain);

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(1, registry.Calls.Reads(jti));
    }

    [Fact]
    public async Task RevokedSession_IsRefusedByANewActivation()
    {
        var session = registry.Client.GetSessionGrain(TestTokens.Issuer, $"booted-{Guid.NewGuid():N}");
        await session.RevokeAsync("back-channel logout");

        await registry.Cluster.DeactivateAsync(session.GetGrainId());

        Assert.True(await session.IsRevokedAsync());
    }
}
