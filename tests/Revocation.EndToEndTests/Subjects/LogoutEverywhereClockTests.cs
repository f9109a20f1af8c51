using System.Diagnostics;
using System.Net;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.Subjects;

/// <summary>
/// "Log out everywhere" against an issuer whose clock is off, through real silo and API processes:
/// every token issued before the logout is refused on both API nodes, and a token issued a second
/// after the logout returned is accepted at once. The issuer is the test, minting its tokens on a
/// clock <c>ahead</c> of this machine's (behind when negative); the nodes learn it from those tokens.
/// </summary>
public sealed class LogoutEverywhereClockTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(-10)]
    public async Task LogoutEverywhere_IssuerTenSecondsOff_RefusesEarlierTokensOnBothNodes_AcceptsOneIssuedASecondAfterItReturned(int aheadSeconds)
    {
        var ahead = TimeSpan.FromSeconds(aheadSeconds);
        await using var nodes = await ClusterNodes.UpAsync(silos: 1, apis: 2);

        // Tokens used as soon as they are minted, spread over more than a second of the issuer's
        // clock: each node's estimate of the offset falls short by well under the margin.
        for (var i = 0; i < 6; i++)
        {
            var fresh = Mint(nodes, ahead, $"warm-{Guid.NewGuid():N}");
            await AssertOnBothAsync(nodes, fresh, HttpStatusCode.OK);
            await Task.Delay(230);
        }

        var sub = $"user-{Guid.NewGuid():N}";
        List<string> earlier = [Mint(nodes, ahead, sub)];
        await AssertOnBothAsync(nodes, earlier[0], HttpStatusCode.OK);
        earlier.Add(Mint(nodes, ahead, sub)); // minted just before the logout

        using var logout = await nodes.Api[0].SendAsync(ApiNode.Post("/auth/logout?everywhere=true", earlier[0]));
        var returned = Stopwatch.GetTimestamp();
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        var wait = TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(returned);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var signedInAgain = Mint(nodes, ahead, sub);
        await AssertOnBothAsync(nodes, signedInAgain, HttpStatusCode.OK);
        foreach (var token in earlier)
        {
            await AssertOnBothAsync(nodes, token, HttpStatusCode.Unauthorized);
        }
    }

    /// <summary>A token of <paramref name="sub"/> from an issuer whose clock runs <paramref name="ahead"/>: its <c>iat</c>, <c>nbf</c> and <c>exp</c> read on that clock.</summary>
    private static string Mint(ClusterNodes nodes, TimeSpan ahead, string sub)
    {
        var issuerNow = (DateTimeOffset.UtcNow + ahead).ToUnixTimeSeconds();
        return nodes.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?>
        {
            ["iat"] = issuerNow,
            ["nbf"] = issuerNow,
            ["exp"] = issuerNow + 900,
        });
    }

    private static async Task AssertOnBothAsync(ClusterNodes nodes, string token, HttpStatusCode expected)
    {
        for (var node = 0; node < nodes.Api.Count; node++)
        {
            Assert.Equal(expected, await nodes.MeAsync(node, token));
        }
    }
}
