using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.CheckHook;

/// <summary>
/// Rejections are logged once a minute per jti and reason, within a budget per minute; the lines left
/// out are summed up in one line the next minute.
/// </summary>
public sealed class RejectionLogTests
{
    private static int Count(LogSink logs, string text) => logs.Lines.Count(line => line.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task RevokedTokenReplays_AreLoggedOnceAMinute_AndSummedUpInTheNextMinute()
    {
        using var tokens = new TestTokens();
        var logs = new LogSink();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await CheckedApp.StartLoggingAsync(tokens, clock, logs);
        var token = tokens.Mint();
        app.Registry.Revoke(TestTokens.JtiOf(token));

        for (var i = 0; i < 1000; i++)
        {
            using var replay = await app.GetMeAsync(token);
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        }

        Assert.Equal(1, Count(logs, "Rejected token"));
        Assert.Equal(0, Count(logs, "were not logged"));

        clock.Advance(TimeSpan.FromMinutes(1));
        using (await app.GetMeAsync(token))
        {
        }

        Assert.Equal(1, Count(logs, "999 more token rejections were not logged"));
        Assert.Equal(2, Count(logs, "Rejected token"));
    }

    [Fact]
    public void Budget_DistinctLinesBeyondIt_AreLeftOutAndCountedForTheNextWindow()
    {
        var clock = new FakeTimeProvider();
        var budget = new LogBudget(clock, linesPerWindow: 3, TimeSpan.FromMinutes(1));

        var taken = Enumerable.Range(1, 5).Select(key => budget.TryTake(key, out _)).ToList();
        var repeat = budget.TryTake(1, out _);
        clock.Advance(TimeSpan.FromSeconds(59));
        var stillFull = budget.TryTake(6, out var notYet);
        clock.Advance(TimeSpan.FromSeconds(1));
        var next = budget.TryTake(1, out var suppressed);

        Assert.Equal([true, true, true, false, false], taken);
        Assert.False(repeat);
        Assert.False(stillFull);
        Assert.Equal(0, notYet);
        Assert.True(next);
        Assert.Equal(4, suppressed);
    }

    [Fact]
    public async Task InvalidJti_IsDescribedInTheLog_NeverWrittenAsItCame()
    {
        using var tokens = new TestTokens();
        var logs = new LogSink();
        await using var app = await CheckedApp.StartAsync(tokens, services: services => services.AddLogging(logging => logging.AddProvider(logs)));
        var forged = "abc\r\n2026-11-24 INFO Admin logged in\u0001";

        using var response = await app.GetMeAsync(tokens.Mint(jti: forged));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, Count(logs, $"(invalid jti of {forged.Length} characters)"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("Admin logged in", StringComparison.Ordinal));
    }
}
