using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Revocation.Abstractions;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.CheckHook;

/// <summary>
/// Checks that fail because the registry cannot answer are logged, stack trace and all, once a minute
/// for each kind of failure, within a budget of their own; the lines left out are summed up in one
/// line the next minute. A flood of valid tokens during an outage costs the log a few lines, not one
/// stack trace per request.
/// </summary>
public sealed class FailedCheckLogTests
{
    private const int Requests = 200;

    private static int Count(LogSink logs, string text) => logs.Lines.Count(line => line.Contains(text, StringComparison.Ordinal));

    [Theory]
    [InlineData(RevocationFailurePolicy.FailClosed, "failing closed")]
    [InlineData(RevocationFailurePolicy.FailOpen, "failing open")]
    public async Task FailedChecks_AreLoggedOnceAMinutePerKind_AndSummedUpInTheNextMinute(RevocationFailurePolicy policy, string line)
    {
        using var tokens = new TestTokens();
        var logs = new LogSink();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await CheckedApp.StartLoggingAsync(tokens, clock, logs, services =>
            services.Configure<RevocationCheckOptions>(o => o.FailurePolicy = policy));
        app.Registry.Failure = new RegistryStorageException("The registry database is down.");

        for (var i = 0; i < Requests; i++)
        {
            await app.RequestMeAsync(tokens.Mint()); // a distinct jti each
        }

        Assert.Equal(Requests, app.Registry.Lookups);
        Assert.Equal(1, Count(logs, line));
        Assert.Equal(0, Count(logs, "were not logged"));

        app.Registry.Failure = new TimeoutException("The registry did not answer.");
        await app.RequestMeAsync(tokens.Mint());

        Assert.Equal(2, Count(logs, line)); // another kind of failure has a line of its own

        clock.Advance(TimeSpan.FromMinutes(1));
        await app.RequestMeAsync(tokens.Mint());

        Assert.Equal(1, Count(logs, $"{Requests - 1} more failed checks were not logged"));
        Assert.Equal(3, Count(logs, line));
    }
}
