using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Api;

/// <summary>One silo and one API node that no other test uses: every grain activation on it is caused here.</summary>
public sealed class ForgeryTarget : IAsyncLifetime
{
    public const string Activations = "revocation.token_grain.activations";
    public const string StoreReads = "revocation.token_grain.store_reads";
    public const string SubjectChecks = "revocation.subject_grain.checks";

    public TestTokens Tokens { get; } = new();

    public TestSilos Silos { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public SiloInstrumentCounts Counts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silos = await TestSilos.StartAsync(1, "forged");
        Counts = new SiloInstrumentCounts([Silos.SiloServices(0)], Activations, StoreReads, SubjectChecks);
        Api = new ApiFactory(Silos, Tokens);
        Http = Api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
        Counts.Dispose();
        await Silos.DisposeAsync();
        Tokens.Dispose();
    }

    public async Task<int> ActiveAsync<TGrain>(TGrain probe) where TGrain : IGrain =>
        (await Silos.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(probe.GetGrainId().Type)).Count;
}
