using System.Reflection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.Api.Hosting;
using Revocation.Api.Registry;
using Revocation.Hosting;

namespace Revocation.UnitTests.Api;

/// <summary>
/// <c>/health/ready</c> is reachable from outside: however often it is asked, the registry gets at
/// most one probe a second, one at a time, each waiting at most <see cref="RegistryHealthCheck.ProbeTimeout"/>.
/// </summary>
public sealed class ReadinessProbeTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ProbedRegistry _registry = new();

    private RegistryHealthCheck NewCheck() =>
        new(_registry.Grains, Options.Create(new RegistryClientOptions()), _clock);

    [Fact]
    public async Task Ready_AskedManyTimesAtOnce_ProbesTheRegistryOnce_AndAgainOnlyAfterASecond()
    {
        var check = NewCheck();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => AskAsync(check))));
        Assert.All(answers, a => Assert.Equal(HealthStatus.Healthy, a.Status));
        Assert.Equal(1, _registry.Probes);

        _clock.Advance(HealthAnswerCache.MaxAge - TimeSpan.FromMilliseconds(1));
        await AskAsync(check);
        Assert.Equal(1, _registry.Probes);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await AskAsync(check);
        Assert.Equal(2, _registry.Probes);
    }

    [Fact]
    public async Task Ready_WhileTheRegistryHangs_KeepsOneProbeInFlight_AndAnswersUnhealthyAtItsTimeout()
    {
        _registry.Hangs = true;
        var check = NewCheck();

        var first = AskAsync(check);
        _clock.Advance(RegistryHealthCheck.ProbeTimeout - TimeSpan.FromMilliseconds(1)); // past the answer's age, still unanswered
        var second = AskAsync(check);
        Assert.False(first.IsCompleted);
        Assert.Equal(1, _registry.Probes);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HealthStatus.Unhealthy, (await first.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await second.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(1, _registry.Probes);
    }

    [Fact]
    public async Task Ready_ARequestThatGivesUp_LeavesTheProbeToTheOthers()
    {
        _registry.Hangs = true;
        var check = NewCheck();
        using var gaveUp = new CancellationTokenSource();

        var abandoned = check.CheckHealthAsync(new HealthCheckContext(), gaveUp.Token);
        var waiting = AskAsync(check);
        await gaveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(waiting.IsCompleted);
        _clock.Advance(RegistryHealthCheck.ProbeTimeout);
        Assert.Equal(HealthStatus.Unhealthy, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(1, _registry.Probes);
    }

    private static Task<HealthCheckResult> AskAsync(RegistryHealthCheck check) => check.CheckHealthAsync(new HealthCheckContext());

    /// <summary>A grain factory whose token grains count the probes and answer at once, or never.</summary>
    private sealed class ProbedRegistry
    {
        private int _probes;

        public ProbedRegistry()
        {
            Grains = DispatchProxy.Create<IGrainFactory, Proxy>();
            ((Proxy)(object)Grains).Invoked = GrainFactoryCall;
        }

        public IGrainFactory Grains { get; }

        public bool Hangs { get; set; }

        public int Probes => Volatile.Read(ref _probes);

        private object? GrainFactoryCall(MethodInfo method, object?[]? args)
        {
            Assert.Equal(nameof(IGrainFactory.GetGrain), method.Name);
            var token = DispatchProxy.Create<ITokenGrain, Proxy>();
            ((Proxy)(object)token).Invoked = TokenGrainCall;
            return token;
        }

        // A proxy answers with the call's ValueTask boxed (its caller consumes it once).
#pragma warning disable CA1859, CA2012
        private object? TokenGrainCall(MethodInfo method, object?[]? args)
        {
            Assert.Equal(nameof(ITokenGrain.IsRevokedAsync), method.Name);
            Interlocked.Increment(ref _probes);
            return new ValueTask<bool>(Hangs ? new TaskCompletionSource<bool>().Task : Task.FromResult(false));
        }
#pragma warning restore CA1859, CA2012
    }

    /// <summary>Not sealed: <see cref="DispatchProxy"/> generates a class derived from it.</summary>
    public class Proxy : DispatchProxy
    {
        public Func<MethodInfo, object?[]?, object?> Invoked { get; set; } = (_, _) => null;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Invoked(targetMethod!, args);
    }
}
