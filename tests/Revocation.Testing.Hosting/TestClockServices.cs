using System.Reflection;
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
    /// Call it after Orleans' services are added: after <c>UseOrleans</c> on a host builder; in a
    /// <c>TestCluster</c>'s silo configurator only the services added before it are rebuilt.
    /// </summary>
    public static IServiceCollection UseTestClock(this IServiceCollection services, TimeProvider? clock)
    {
        services.AddSingleton(clock ?? new JustBootedClock());
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        if (clock is not null)
        {
            KeepOrleansServicesOnRealTime(services);
        }

        return services;
    }

    /// <summary>
    /// Orleans' keyed time areas cover its timers but not every service: in 10.4.2 the distributed
    /// grain directory and the cluster manifest provider take the default <see cref="TimeProvider"/>,
    /// so the directory's retry delays and lease holds ran on the test's clock. On a clock that
    /// stands still a delay never ends: a silo's start hung in its first grain call (the sweeper's
    /// schedule, 30 s and again 30 s) now and then. Each such service is built with real time
    /// instead; grains and the registry's own code keep reading the test's clock.
    /// </summary>
    private static void KeepOrleansServicesOnRealTime(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.IsKeyedService || descriptor.ImplementationType is not { } type || !ReadsDefaultClock(type))
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(
                descriptor.ServiceType, provider => ActivatorUtilities.CreateInstance(provider, type, TimeProvider.System), descriptor.Lifetime);
        }
    }

    /// <summary>
    /// Orleans' own (not generic) type whose constructor takes the default clock. One that takes two
    /// clocks is refused: <see cref="ActivatorUtilities"/> would hand the real one to whichever comes first.
    /// </summary>
    internal static bool ReadsDefaultClock(Type type)
    {
        if (type.Namespace?.StartsWith("Orleans", StringComparison.Ordinal) != true || type.IsGenericTypeDefinition)
        {
            return false;
        }

        var reads = false;
        foreach (var constructor in type.GetConstructors())
        {
            var clocks = constructor.GetParameters().Where(parameter => parameter.ParameterType == typeof(TimeProvider)).ToList();
            if (clocks.Count > 1 && clocks.Any(parameter => parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is null))
            {
                throw new InvalidOperationException(
                    $"{type.FullName} takes {clocks.Count} TimeProvider parameters; UseTestClock cannot tell which one to give real time. Give it its clocks by hand.");
            }

            reads |= clocks.Any(parameter => parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is null);
        }

        return reads;
    }
}
