using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Revocation.Abstractions;

namespace Revocation.Silo.Dashboard;

/// <summary>
/// Leaves the check path's grain calls out of the Orleans Dashboard's method profiler, and hands
/// every other call to it. The dashboard profiles through an incoming grain call filter and offers
/// only an attribute on grain code to skip a method; wrapping its filter instead keeps grain code
/// free of the dashboard and makes the choice a setting (<see cref="DashboardHostingOptions.ProfileChecks"/>).
/// </summary>
/// <param name="profiler">The dashboard's own profiling filter.</param>
public sealed class DashboardCheckProfilingFilter(IIncomingGrainCallFilter profiler) : IIncomingGrainCallFilter
{
    /// <summary>The dashboard's profiling filter, internal to its package.</summary>
    public const string ProfilerTypeName = "Orleans.Dashboard.Implementation.GrainProfilerFilter";

    private static readonly MethodInfo[] CheckMethods =
    [
        typeof(ITokenGrain).GetMethod(nameof(ITokenGrain.IsRevokedAsync))!,
        typeof(ISubjectGrain).GetMethod(nameof(ISubjectGrain.GetStatusAsync))!,
    ];

    public Task Invoke(IIncomingGrainCallContext context) =>
        IsCheck(context.InterfaceMethod) ? context.Invoke() : profiler.Invoke(context);

    /// <summary>Whether <paramref name="interfaceMethod"/> is one of the grain calls an API node makes for every check it cannot answer from its near cache.</summary>
    public static bool IsCheck(MethodInfo? interfaceMethod) => interfaceMethod is not null && Array.IndexOf(CheckMethods, interfaceMethod) >= 0;

    /// <summary>Replaces the dashboard's registration of its profiling filter with this filter around it.</summary>
    /// <exception cref="InvalidOperationException">The dashboard registers no such filter (another package version): the check path could not be left out.</exception>
    public static void WrapProfiler(IServiceCollection services)
    {
        var registration = services.SingleOrDefault(service =>
                service.ServiceType == typeof(IIncomingGrainCallFilter) && service.ImplementationType?.FullName == ProfilerTypeName)
            ?? throw new InvalidOperationException(
                $"The Orleans Dashboard registers no {ProfilerTypeName}, so Dashboard:ProfileChecks=false cannot leave the check path out of its profiling "
                + "(a Microsoft.Orleans.Dashboard version this silo was not built with?). Set Dashboard:ProfileChecks=true, or use the package version in Directory.Packages.props.");
        services.Remove(registration);
        var profilerType = registration.ImplementationType!;
        services.AddSingleton<IIncomingGrainCallFilter>(provider =>
            new DashboardCheckProfilingFilter((IIncomingGrainCallFilter)ActivatorUtilities.CreateInstance(provider, profilerType)));
    }
}
