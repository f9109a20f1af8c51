using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.Grains.Leases;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Api;

/// <summary>
/// One silo on a fake clock and an API node on real time (JwtBearer validates <c>exp</c> against
/// the real clock): tests set the silo's clock to the instant a revocation reaches it. The clock
/// starts ten minutes back, so tests only ever move it forward.
/// </summary>
public sealed class FakeClockApiNode : IAsyncLifetime
{
    public FakeTimeProvider SiloClock { get; } = TestClock.Create(DateTimeOffset.UtcNow.AddMinutes(-10));

    public TestTokens Tokens { get; } = new();

    public TestSilos Silos { get; private set; } = null!;

    public ApiFactory Factory { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silos = await TestSilos.StartAsync(1, "skewclock", clock: SiloClock);

        // Right after the lease grain activates, a revocation waits one lease (on this clock).
        await Silos.Grains.GetGrain<INodeLeaseGrain>(INodeLeaseGrain.Key).ReleaseAsync(Guid.NewGuid(), Guid.NewGuid());
        SiloClock.Advance(new NodeLeaseOptions().LeaseDuration);

        Factory = new ApiFactory(Silos, Tokens);
        Http = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
        await Silos.DisposeAsync();
        Tokens.Dispose();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Http.SendAsync(request);
        }
    }
}
