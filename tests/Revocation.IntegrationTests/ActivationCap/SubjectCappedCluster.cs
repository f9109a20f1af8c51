using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.ActivationCap;

/// <summary>One silo that holds at most <see cref="Limit"/> subject grains (and no token cap that could hide one).</summary>
public sealed class SubjectCappedCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["SubjectRevocation:MaxActivationsPerSilo"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Sweeper:DueTime"] = "01:00:00",
})
{
    public const int Limit = 20;

    /// <summary>Subject grain activations in the whole cluster, as Orleans' catalog counts them.</summary>
    public async Task<int> ActiveSubjectGrainsAsync()
    {
        var subjectGrainType = Client.GetSubjectGrain(TestTokens.Issuer, "type-probe").GetGrainId().Type;
        return (await Client.GetGrain<IManagementGrain>(0).GetActiveGrains(subjectGrainType)).Count;
    }
}
