using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// Revoking a token that is already revoked costs the API nodes nothing once they were told: only
/// the first revocation in an activation notifies them (a new activation, which cannot know what its
/// predecessor told, notifies once more).
/// </summary>
[Collection(TwoSiloCollection.Name)]
public sealed class RepeatedRevocationTests(TwoSiloCluster registry)
{
    [Fact]
    public async Task RepeatedRevocation_TellsTheNodesOncePerActivation()
    {
        var node = new LeasedListener(registry.SiloGrains(0));
        var jti = RegistryCluster.NewJti("repeat");
        var token = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);
        var expiry = DateTimeOffset.UtcNow.AddHours(1);

        await RevokeThriceAsync(node, token, expiry);
        Assert.Equal(1, node.Told(jti));

        await registry.DeactivateAsync(token);
        await RevokeThriceAsync(node, token, expiry);
        Assert.Equal(2, node.Told(jti));

        await node.ReleaseAsync();
    }

    private static async Task RevokeThriceAsync(LeasedListener node, ITokenGrain token, DateTimeOffset expiry)
    {
        for (var i = 0; i < 3; i++)
        {
            await node.RenewAsync(); // a live lease at every revocation: a lapsed node would not be told
            await token.RevokeAsync(expiry, "logout");
        }
    }

    /// <summary>An API node as the lease grain sees it: a listener holding a lease in the only partition.</summary>
    private sealed class LeasedListener(IGrainFactory grains)
    {
        private readonly RecordingListener _listener = new();
        private readonly Guid _nodeId = Guid.NewGuid();
        private IRevocationListener? _reference;
        private Guid _leaseId;
        private long _renewal;

        private INodeLeaseGrain Leases => grains.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key);

        public int Told(string jti) => _listener.Received.Count(n => n.Key == jti);

        public async Task RenewAsync()
        {
            _reference ??= grains.CreateObjectReference<IRevocationListener>(_listener);
            _leaseId = (await Leases.RenewAsync(_nodeId, _reference, _leaseId, ++_renewal)).LeaseId;
        }

        public Task ReleaseAsync() => Leases.ReleaseAsync(_nodeId, _leaseId);
    }
}
