using System.Net;
using Revocation.Grains;
using Revocation.IntegrationTests.Api;

namespace Revocation.IntegrationTests.Subjects;

/// <summary>
/// An API node whose clock is further from the silos' than <c>SubjectRevocation:MaxIssuerClockOffset</c>
/// (the silos' clock starts eleven minutes behind and moves one lease on): its "log out everywhere" is not
/// acknowledged, writes nothing, and the log says why.
/// </summary>
public sealed class SubjectClockRangeApiTests(FakeClockApiNode api) : IClassFixture<FakeClockApiNode>
{
    [Fact]
    public async Task LogoutEverywhere_OnANodeWhoseClockIsTooFarFromTheSilos_Is503_AndWritesNothing()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var token = api.Tokens.Mint(sub: sub);
        Assert.True(DateTimeOffset.UtcNow - api.Clock.GetUtcNow() > new SubjectRevocationOptions().MaxIssuerClockOffset);

        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?everywhere=true", token));
        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, logout.StatusCode);
        Assert.Contains("Revocation registry unavailable", await logout.Content.ReadAsStringAsync());
        Assert.Contains(api.Factory.Logs.Lines, line =>
            line.Contains(sub, StringComparison.Ordinal) && line.Contains("SubjectRevocation:MaxIssuerClockOffset", StringComparison.Ordinal) && line.Contains("check both clocks", StringComparison.Ordinal));
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = $1", sub));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode); // nothing was revoked, and the caller was told so
    }
}
