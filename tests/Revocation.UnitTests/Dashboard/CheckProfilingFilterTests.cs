using Revocation.Silo.Dashboard;
using System.Reflection;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Revocation.Abstractions;
using Revocation.Silo.Hosting;

namespace Revocation.UnitTests.Dashboard;

/// <summary>Which grain calls reach the Orleans Dashboard's profiler when the check path is left out.</summary>
public sealed class CheckProfilingFilterTests
{
    [Theory]
    [InlineData(typeof(ITokenGrain), nameof(ITokenGrain.IsRevokedAsync), false)]
    [InlineData(typeof(ISubjectGrain), nameof(ISubjectGrain.GetStatusAsync), false)]
    [InlineData(typeof(ITokenGrain), nameof(ITokenGrain.RevokeAsync), true)]
    [InlineData(typeof(ITokenGrain), nameof(ITokenGrain.GetStatusAsync), true)]
    [InlineData(typeof(ISubjectGrain), nameof(ISubjectGrain.RevokeAllAsync), true)]
    [InlineData(typeof(INodeLeaseGrain), nameof(INodeLeaseGrain.RenewAsync), true)]
    public async Task OnlyTheCheckCalls_BypassTheProfiler(Type grain, string method, bool profiled)
    {
        var profiler = new RecordingFilter();
        var call = new Call(grain.GetMethod(method)!);

        await new DashboardCheckProfilingFilter(profiler).Invoke(call);

        Assert.True(call.Invoked);
        Assert.Equal(profiled ? [call.InterfaceMethod] : [], profiler.Seen);
    }

    /// <summary>Stands in for the dashboard's profiler: records the calls it is given, and passes them on.</summary>
    private sealed class RecordingFilter : IIncomingGrainCallFilter
    {
        public List<MethodInfo> Seen { get; } = [];

        public Task Invoke(IIncomingGrainCallContext context)
        {
            Seen.Add(context.InterfaceMethod);
            return context.Invoke();
        }
    }

    /// <summary>A grain call of <paramref name="method"/>; only what a filter reads of it is there.</summary>
    private sealed class Call(MethodInfo method) : IIncomingGrainCallContext
    {
        public bool Invoked { get; private set; }

        public MethodInfo InterfaceMethod => method;

        public Task Invoke()
        {
            Invoked = true;
            return Task.CompletedTask;
        }

        public IGrainContext TargetContext => throw new NotSupportedException();
        public MethodInfo ImplementationMethod => throw new NotSupportedException();
        public IInvokable Request => throw new NotSupportedException();
        public object Grain => throw new NotSupportedException();
        public GrainId? SourceId => throw new NotSupportedException();
        public GrainId TargetId => throw new NotSupportedException();
        public GrainInterfaceType InterfaceType => throw new NotSupportedException();
        public string InterfaceName => method.DeclaringType!.FullName!;
        public string MethodName => method.Name;
        public object? Result { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public Response? Response { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
