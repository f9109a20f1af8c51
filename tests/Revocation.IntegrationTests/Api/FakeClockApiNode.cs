using Microsoft.Extensions.Time.Testing;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// <see cref="ApiNode"/> with its silos on a fake clock and the API node on real time (JwtBearer
/// validates <c>exp</c> against the real clock): tests set the silos' clock to the instant a
/// revocation reaches them. The clock starts eleven minutes back, so tests only ever move it forward
/// (and the silos are further from the node than <c>SubjectRevocation:MaxIssuerClockOffset</c>, 10 minutes).
/// </summary>
public sealed class FakeClockApiNode : ApiNode
{
    public FakeTimeProvider Clock { get; } = TestClock.Create(DateTimeOffset.UtcNow.AddMinutes(-11));

    protected override TimeProvider SiloClock => Clock;

    protected override Task AfterSilosStartAsync() => Clock.PassLeaseStartAsync(Silos.Grains);
}
