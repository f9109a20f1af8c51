using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Revocation.Testing.Hosting;

/// <summary>A <see cref="TestClock"/> put into a silo's or an API node's services.</summary>
public static class TestClockServices
{
    /// <summary>
    /// Makes <paramref name="clock"/> the <see cref="TimeProvider"/> of a silo or API node. Grain
    /// timers follow it (an expiry timer fires when the clock reaches the expiry); Orleans' own
    /// loops (membership probes, messaging timeouts, activation collection, reminders, directory)
    /// stay on real time, so a standing clock never stalls the cluster. <c>null</c>: real time, read
    /// as on a host booted a moment ago (<see cref="JustBootedClock"/>), so that every in-process
    /// silo and API node runs with the small monotonic timestamps a freshly booted host has.
    /// </summary>
    public static IServiceCollection UseTestClock(this IServiceCollection services, TimeProvider? clock)
    {
        clock ??= new JustBootedClock();
        services.AddSingleton(clock);
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        return services;
    }
}
