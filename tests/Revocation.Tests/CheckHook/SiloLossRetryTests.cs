using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Revocation.Abstractions;
using Revocation.AspNetCore.Lookups;

namespace Revocation.Tests.CheckHook;

/// <summary>A check's grain call is repeated when its silo is lost, within the check's budget, and for nothing else.</summary>
[Trait("Category", "Unit")]
public sealed class SiloLossRetryTests
{
    [Fact]
    public async Task SiloLost_TheCallIsRepeated_UntilItAnswers()
    {
        var calls = 0;

        var answer = await SiloLossRetry.CallAsync(
            () => ++calls < 3 ? throw new SiloUnavailableException("the silo died") : Task.FromResult(true),
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None);

        Assert.True(answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task GrainError_IsNotRepeated()
    {
        var calls = 0;

        await Assert.ThrowsAsync<RegistryStorageException>(() => SiloLossRetry.CallAsync<bool>(
            () => { calls++; throw new RegistryStorageException("database down"); },
            TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task SiloLostForLongerThanTheBudget_TheLastFailureIsThrownWithinTheBudget()
    {
        var time = new FakeTimeProvider();
        var calls = new List<TimeSpan>();
        var started = time.GetTimestamp();

        var retried = SiloLossRetry.CallAsync<bool>(
            () => { calls.Add(time.GetElapsedTime(started)); throw new SiloUnavailableException("still gone"); },
            TimeSpan.FromMilliseconds(300), time, CancellationToken.None);
        while (!retried.IsCompleted && time.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1);
        }

        await Assert.ThrowsAsync<SiloUnavailableException>(() => retried);
        Assert.Equal([0, 50, 150], calls.Select(c => (int)c.TotalMilliseconds));
    }
}
