using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Revocation.AspNetCore;
using Revocation.AspNetCore.NearCache;

namespace Revocation.UnitTests.NearCache;

/// <summary>
/// A renewal that keeps failing (no registry reachable) is tried every period but logged once, then
/// once every 30 seconds with the count of failures in between: an unreachable registry must not
/// flood the log at one line a second per node.
/// </summary>
public sealed partial class LeaseRenewalLogTests
{
    [Fact]
    public async Task FailingRenewals_AreLoggedFirstThenEvery30Seconds_WithTheCountBetween()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logs = new LogSink();
        var attempts = 0;

        // Each attempt moves the clock one renew period (RevocationCheck:NearCache:RenewPeriod, 1 s by
        // default) before it fails, on the lease loop's own thread: the failure's log budget then reads
        // the clock that attempt set, and the timer's tick is due when the loop next waits. A test
        // thread advancing the clock while the loop was still logging the last failure moved a line
        // from 30 s to 31 s now and then.
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(UnreachableRegistry(() =>
            {
                if (Interlocked.Increment(ref attempts) <= 66)
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }
            }));
        services.AddAuthentication().AddJwtBearer().AddRevocationCheck();
        await using var provider = services.BuildServiceProvider();
        var lease = provider.GetRequiredService<NodeLease>();

        await lease.StartAsync(CancellationToken.None);
        await WaitUntil(() => Volatile.Read(ref attempts) >= 67);
        await lease.StopAsync(CancellationToken.None);

        var lines = logs.Lines.Where(line => line.Contains("lease renewal failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count); // at 1, 31 and 61 s; 67 attempts failed (the 67th, at 66 s, moved no clock: the loop then waits)
        Assert.All(lines, line => Assert.StartsWith("Warning ", line, StringComparison.Ordinal));
        Assert.Equal([0, 29, 29], lines.Select(line => int.Parse(NotLogged().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease loop did not reach the next renewal");
            await Task.Delay(1);
        }
    }

    /// <summary>A grain factory whose every call fails as a client that has not connected does.</summary>
    private static IGrainFactory UnreachableRegistry(Action attempted)
    {
        var grains = DispatchProxy.Create<IGrainFactory, Failing>();
        ((Failing)(object)grains).Attempted = attempted;
        return grains;
    }

    [GeneratedRegex(@"\((\d+) failed since the last line\)")]
    private static partial Regex NotLogged();

    /// <summary>Not sealed: <see cref="DispatchProxy"/> generates a class derived from it.</summary>
    public class Failing : DispatchProxy
    {
        public Action Attempted { get; set; } = () => { };

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Attempted();
            throw new InvalidOperationException("The client is not connected to any gateway.");
        }
    }
}
