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
    /// stay on real time, so a standing clock never stalls the cluster. <c>null</c> changes nothing.
    /// </summary>
    public static IServiceCollection UseTestClock(this IServiceCollection services, TimeProvider? clock)
    {
        if (clock is null)
        {
            return services;
        }

        services.AddSingleton(clock);
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        return services;
    }
}
