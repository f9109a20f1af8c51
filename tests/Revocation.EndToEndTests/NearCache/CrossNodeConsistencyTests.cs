using System.Net;
using Revocation.EndToEndTests.Processes;

namespace Revocation.EndToEndTests.NearCache;

[Collection(ProcessClusterCollection.Name)]
public sealed class CrossNodeConsistencyTests
{
    [Fact]
    public async Task RevokeOnNodeA_IsRejectedOnNodeB_EverySingleTime()
    {
        await using var nodes = await ClusterNodes.UpAsync(silos: 2, apis: 2);
        var staleAccepts = 0;

        for (var i = 0; i < 200; i++)
        {
            var token = nodes.Mint();
            Assert.Equal(HttpStatusCode.OK, await nodes.MeAsync(1, token));
            Assert.Equal(HttpStatusCode.NoContent, await nodes.LogoutAsync(0, token));
            var after = await nodes.MeAsync(1, token);
            if (after == HttpStatusCode.OK)
            {
                staleAccepts++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, after);
            }
        }

        Assert.Equal(0, staleAccepts);
    }
}
