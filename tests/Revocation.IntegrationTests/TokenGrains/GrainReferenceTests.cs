using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.TokenGrains;

/// <summary>
/// The typed accessors (<see cref="GrainFactoryExtensions"/>) make their references without Orleans'
/// per-call type resolution; each must still name exactly the grain <c>GetGrain&lt;T&gt;</c> names,
/// with the same interface, and reach it.
/// </summary>
[Collection(TwoSiloCollection.Name)]
public sealed class GrainReferenceTests(TwoSiloCluster registry)
{
    private const string Value = "alice:1|x";

    [Fact]
    public void EveryAccessor_NamesTheGrainAndInterfaceGetGrainNames()
    {
        var key = new IssuerKey(TestTokens.Issuer, Value).ToGrainKey();
        var grains = registry.Client;

        AssertSame(grains.GetGrain<ITokenGrain>(key), grains.GetTokenGrain(TestTokens.Issuer, Value));
        AssertSame(grains.GetGrain<ISubjectGrain>(key), grains.GetSubjectGrain(TestTokens.Issuer, Value));
        AssertSame(grains.GetGrain<ISessionGrain>(key), grains.GetSessionGrain(TestTokens.Issuer, Value));
        AssertSame(grains.GetGrain<IReceivedTokenGrain>(key), grains.GetReceivedTokenGrain(TestTokens.Issuer, Value));
        Assert.NotEqual(grains.GetTokenGrain(TestTokens.Issuer, Value).GetGrainId(), grains.GetTokenGrain(TestTokens.Issuer, Value + "2").GetGrainId());
    }

    [Fact]
    public async Task AReferenceFromAnAccessor_ReachesTheGrain_FromAClientAndFromInsideASilo()
    {
        var jti = RegistryCluster.NewJti("ref");
        await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "reference test");

        Assert.True(await registry.SiloGrains(0).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
        Assert.True(await registry.SiloGrains(1).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
    }

    private static void AssertSame(IAddressable expected, IAddressable actual)
    {
        Assert.Equal(expected.GetGrainId(), actual.GetGrainId());
        Assert.Equal(((GrainReference)expected).InterfaceType, ((GrainReference)actual).InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
